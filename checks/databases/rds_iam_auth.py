"""An RDS DB instance or cluster without IAM database authentication.

## What it does
Checks `EnableIAMDatabaseAuthentication` on every `AWS::RDS::DBCluster` and on every
`AWS::RDS::DBInstance` that does not belong to a cluster, wherever the database can have it. AWS
documents where that is (the table, its sources and the date they were read are in
`checks/databases/_iam_auth_support.py`):

- not at all with Oracle, SQL Server, Db2 or RDS Custom, nor with Aurora Serverless v1
  (`EngineMode: serverless`): those are skipped;
- with RDS for MariaDB from version 10.11 (`EngineVersion` 10.4, 10.5 or 10.6 is skipped);
- with Aurora MySQL on every instance class except `db.t2.small` and `db.t3.small`: a cluster with a
  DB instance of such a class (among the instances in the template whose `DBClusterIdentifier` names
  it, a conditional one where its condition holds) is skipped;
- with every version of RDS for MySQL and PostgreSQL, Aurora MySQL 2 and 3, and Aurora PostgreSQL.

Each `Fn::If` branch and allowed parameter value is checked, the engine, version and instance class
included: an engine chosen by a parameter is judged on the values that can have it, and the finding
names them. An `EngineVersion` or instance class the table cannot decide (a parameter without a value,
a value known only at deploy time) is judged as if it had it, never passed; an absent `EngineVersion`
is AWS's default version, which has it. Regions where a MariaDB version lacks it are not modelled (a
template does not say its Region).

Live, the setting is `IAMDatabaseAuthenticationEnabled` in `DescribeDBInstances` and
`DescribeDBClusters`, which also give the engine, its version and each instance's class.

**When the property is absent:** IAM database authentication is off (the default is false).

## Why it matters
With IAM authentication, lake jobs (Glue, EMR, Lambda) connect with short-lived tokens tied to their
IAM role instead of long-lived database passwords kept in job configs. Access is granted and revoked in
IAM, and every token request is in CloudTrail.

## Example
```yaml
OrdersDb:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.t3.medium
    EnableIAMDatabaseAuthentication: false        # LL507
```

## Fix
```yaml
OrdersDb:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    DBInstanceClass: db.t3.medium
    EnableIAMDatabaseAuthentication: true
```
With the AWS CLI:
```sh
aws rds modify-db-instance --db-instance-identifier orders --enable-iam-database-authentication --apply-immediately
```

## References
- https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.html
- https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/UsingWithRDS.IAMDBAuth.html
- https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.RDS_Fea_Regions_DB-eng.Feature.IamDatabaseAuthentication.html
- https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.IAMdbauth.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rds-dbinstance.html
"""

from lakelint.core.check import check
from lakelint.core.reading import existing, read

from ._databases import CLUSTER_TYPE, INSTANCE_TYPE, own_settings, switched_on, text
from ._iam_auth_support import engine_has_classes_without, supports

KEY = "EnableIAMDatabaseAuthentication"


@check(code="LL507", name="rds-iam-auth", severity="low",
       title="RDS instance or cluster without IAM database authentication",
       resource_types=[INSTANCE_TYPE, CLUSTER_TYPE], sources=["template", "live"],
       # an Aurora cluster's DB instances are read for their class (DBInstanceClass)
       reads={INSTANCE_TYPE: [KEY, "DBClusterIdentifier", "Engine", "EngineVersion", "DBInstanceClass"],
              CLUSTER_TYPE: [KEY, "Engine", "EngineVersion", "EngineMode"]})
def rds_iam_auth(db, ctx):
    mode = ("EngineMode",) if db.type == CLUSTER_TYPE else ()
    for values in own_settings(db, KEY, "Engine", "EngineVersion", *mode):
        if text(values.get("EngineMode")) == "serverless":
            continue  # Aurora Serverless v1 does not support this setting
        engine = values.get("Engine")
        if supports(engine, values.get("EngineVersion")) is False:
            continue
        for _ in _where_instance_classes_have_it(db, engine):
            yield from switched_on(values, KEY, absent=f"{KEY} is not set: off by default")


def _where_instance_classes_have_it(db, engine):
    """Once for each part of the parameter space where no DB instance of the cluster ``db`` is on an
    instance class AWS documents as without IAM database authentication (Aurora MySQL's smallest): the
    cluster's instances could not all use it. Once, for anything else."""
    if db.type != CLUSTER_TYPE or not engine_has_classes_without(engine):
        yield
        return
    for members in existing(db.related("instances"), within=db):  # a member with a Condition only where it holds
        yield from _classes_have_it(engine, members)


def _classes_have_it(engine, members):
    if not members:
        yield
        return
    for instance_class in read(members[0], "DBInstanceClass", presence=True):
        if supports(engine, instance_class=instance_class) is not False:
            yield from _classes_have_it(engine, members[1:])
