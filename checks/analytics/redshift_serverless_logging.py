"""A Redshift Serverless namespace that exports no logs.

## What it does
Checks that every `AWS::RedshiftServerless::Namespace` lists at least one log in `LogExports`
(`connectionlog`, `userlog`, `useractivitylog`). Each `Fn::If` branch is checked, `AWS::NoValue`
included; a list that comes from a parameter without a known value is reported as unverifiable.

**When the property is absent:** a namespace exports no logs to CloudWatch unless `LogExports` names
them, so an absent or empty value fails.

**Live:** `ListNamespaces` lists the logs each namespace exports; a namespace that exports none fails.

## Why it matters
Serverless has no audit-log bucket of its own: the exported logs are the only record of who connected
and what they ran. Without them an investigation of a data leak from the warehouse has nothing to go on.

## Example
```yaml
Analytics:
  Type: AWS::RedshiftServerless::Namespace
  Properties:
    NamespaceName: analytics
    LogExports: []              # LL612
```

## Fix
```yaml
Analytics:
  Type: AWS::RedshiftServerless::Namespace
  Properties:
    NamespaceName: analytics
    LogExports: [connectionlog, userlog, useractivitylog]
```
With the AWS CLI:
```sh
aws redshift-serverless update-namespace --namespace-name analytics \
  --log-exports connectionlog userlog useractivitylog
```

## References
- https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-audit-logging.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-redshiftserverless-namespace.html
"""

from lakelint.core.check import check, fail
from lakelint.core.reading import read
from lakelint.core.values import MISSING

NAMESPACE = "AWS::RedshiftServerless::Namespace"


@check(code="LL612", name="redshift-serverless-logging", severity="low",
       title="Redshift Serverless namespace without log exports",
       resource_types=[NAMESPACE], sources=["template", "live"],
       reads={NAMESPACE: ["LogExports"]})
def redshift_serverless_logging(namespace, ctx):
    for exports in read(namespace, "LogExports"):
        if exports is MISSING:
            yield fail("the namespace exports no logs" if namespace.source == "live"
                       else "LogExports is not set: the namespace exports no logs", key="LogExports")
        elif not isinstance(exports, list) or not [e for e in exports if e not in (None, "")]:
            yield fail("LogExports is empty: the namespace exports no logs", key="LogExports")
