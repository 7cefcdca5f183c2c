"""An RDS DB instance or cluster without IAM database authentication.

## What it does
Checks `EnableIAMDatabaseAuthentication` on every `AWS::RDS::DBCluster` and on every
`AWS::RDS::DBInstance` that does not belong to a cluster, for the engines that support it (MySQL,
MariaDB, PostgreSQL and their Aurora editions). Oracle, SQL Server and Db2 do not support IAM database
authentication and are skipped, as is Aurora Serverless v1
(`EngineMode: serverless`), which does not support it. Each `Fn::If` branch and allowed parameter value is checked.

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

from lakelint.check import check
from lakelint.propcheck import cluster_member, flag_verdicts, merge_branches, props_branches, text

UNSUPPORTED_ENGINES = ("oracle", "sqlserver", "db2", "custom-")


@check(code="LL507", name="rds-iam-auth", severity="low",
       title="RDS instance or cluster without IAM database authentication",
       resource_types=["AWS::RDS::DBInstance", "AWS::RDS::DBCluster"], sources=["template"])
@merge_branches
def rds_iam_auth(db, ctx):
    is_cluster = db.type == "AWS::RDS::DBCluster"
    for branch in props_branches(db, "EnableIAMDatabaseAuthentication", "DBClusterIdentifier", "Engine", "EngineMode"):
        values = branch.value
        if not is_cluster and cluster_member(values):
            continue
        if is_cluster and text(values.get("EngineMode")) == "serverless":
            continue  # Aurora Serverless v1 does not support this setting
        engine = text(values.get("Engine")) or ""
        if engine.startswith(UNSUPPORTED_ENGINES):
            continue
        yield from flag_verdicts(db, values, "EnableIAMDatabaseAuthentication", branch,
                                 absent_message="EnableIAMDatabaseAuthentication is not set: off by default")
