"""A Redshift cluster without audit logging.

## What it does
Checks that an `AWS::Redshift::Cluster` has `LoggingProperties` that turn audit logging on: either a
`BucketName` (logs delivered to S3) or `LogDestinationType: cloudwatch` with at least one entry in
`LogExports`. Each `Fn::If` branch is checked, `AWS::NoValue` included.

**When the property is absent:** audit logging is off by default; a cluster without
`LoggingProperties` keeps no connection, user or user-activity log, so an absent value fails.

**Live:** `DescribeLoggingStatus` says whether audit logging is on, and where the logs go (an S3
bucket, or CloudWatch with the logs it names); a cluster whose logging is off fails.

## Why it matters
Audit logs record who connected, from where, and (with user-activity logging) which queries ran. They
are how a data-lake team answers "who read this table" after an incident, and several compliance
frameworks require them for any store of personal data.

## Example
```yaml
Warehouse:
  Type: AWS::Redshift::Cluster
  Properties:                   # LL604: no LoggingProperties
    NodeType: ra3.xlplus
    ClusterType: single-node
    DBName: lake
    MasterUsername: admin
    ManageMasterPassword: true
```

## Fix
```yaml
Warehouse:
  Type: AWS::Redshift::Cluster
  Properties:
    NodeType: ra3.xlplus
    ClusterType: single-node
    DBName: lake
    MasterUsername: admin
    ManageMasterPassword: true
    LoggingProperties:
      LogDestinationType: cloudwatch
      LogExports: [connectionlog, userlog, useractivitylog]
```
With the AWS CLI:
```sh
aws redshift enable-logging --cluster-identifier warehouse --log-destination-type cloudwatch \
  --log-exports connectionlog userlog useractivitylog
```

## References
- https://docs.aws.amazon.com/redshift/latest/mgmt/db-auditing.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-redshift-cluster-loggingproperties.html
"""

from lakelint.core.check import check, fail
from lakelint.core.reading import known, read
from lakelint.core.values import MISSING, Unresolved, show

CLUSTER = "AWS::Redshift::Cluster"
KEY = "LoggingProperties"


@check(code="LL604", name="redshift-audit-logging", severity="medium",
       title="Redshift cluster without audit logging",
       resource_types=[CLUSTER], sources=["template", "live"],
       reads={CLUSTER: [f"{KEY}.BucketName", f"{KEY}.LogDestinationType", f"{KEY}.LogExports"]})
def redshift_audit_logging(cluster, ctx):
    for logging in read(cluster, KEY):
        if logging is MISSING or not isinstance(logging, dict):
            yield fail("audit logging is off" if cluster.source == "live"
                       else f"{KEY} is not set: audit logging is off", key=KEY)
            continue
        if logging.get("BucketName", MISSING) not in (MISSING, None, ""):
            continue
        destination = logging.get("LogDestinationType", MISSING)
        if destination is not None and known(destination, "LogDestinationType", at=(logging, "LogDestinationType"),
                                             key=f"{KEY}.LogDestinationType") is None:
            continue
        if str(destination).lower() == "cloudwatch":
            exports = logging.get("LogExports", MISSING)
            if isinstance(exports, Unresolved) or (isinstance(exports, list) and exports):
                continue  # logs are exported (a list known only at deploy time is still there)
            yield fail(f"{KEY} sends logs to CloudWatch but LogExports names no log", at=logging,
                       key=f"{KEY}.LogExports")
            continue
        yield fail(f"{KEY} has no BucketName and LogDestinationType is {show(destination)}: audit logs go nowhere",
                   at=logging, key=KEY)
