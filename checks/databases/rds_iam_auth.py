"""An RDS DB instance or cluster without IAM database authentication.

## What it does
Checks `EnableIAMDatabaseAuthentication` on every `AWS::RDS::DBCluster` and on every
`AWS::RDS::DBInstance` that does not belong to a cluster, for the engines that support it (MySQL,
MariaDB, PostgreSQL and their Aurora editions). Oracle, SQL Server and Db2 do not support IAM database
authentication and are skipped (an engine chosen by a parameter: when no allowed value supports it),
as is Aurora Serverless v1 (`EngineMode: serverless`), which does not support it either. Each `Fn::If`
branch and allowed parameter value is checked.

Live, the setting is `IAMDatabaseAuthenticationEnabled` in `DescribeDBInstances` and
`DescribeDBClusters`.

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
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-rds-dbinstance.html
"""

from lakelint.core.check import check
from lakelint.core.propcheck import flag_verdicts, props_branches, text
from ._databases import cluster_member

UNSUPPORTED_ENGINES = ("oracle", "sqlserver", "db2", "custom-")


@check(code="LL507", name="rds-iam-auth", severity="low",
       title="RDS instance or cluster without IAM database authentication",
       resource_types=["AWS::RDS::DBInstance", "AWS::RDS::DBCluster"], sources=["template", "live"])
def rds_iam_auth(db, ctx):
    keys = ["EnableIAMDatabaseAuthentication", "DBClusterIdentifier", "EngineMode", "Engine"]
    raw_engine = db.props.get("Engine") if isinstance(db.props, dict) else None
    if isinstance(raw_engine, dict) and "Ref" in raw_engine:
        # an engine picked by a parameter: skip only when no allowed value supports IAM auth, and do not
        # split the findings by engine value
        engines = {text(b.value) or "" for b in db.branches("Engine")}
        if engines and all(engine.startswith(UNSUPPORTED_ENGINES) for engine in engines):
            return
        keys.remove("Engine")
    is_cluster = db.type == "AWS::RDS::DBCluster"
    for branch in props_branches(db, *keys):
        values = branch.value
        if not is_cluster and cluster_member(values):
            continue
        if is_cluster and text(values.get("EngineMode")) == "serverless":
            continue  # Aurora Serverless v1 does not support this setting
        if (text(values.get("Engine")) or "").startswith(UNSUPPORTED_ENGINES):
            continue
        yield from flag_verdicts(db, values, "EnableIAMDatabaseAuthentication", branch,
                                 absent_message="EnableIAMDatabaseAuthentication is not set: off by default")
