"""An RDS master password written in the template or passed through a parameter without NoEcho.

## What it does
Checks `MasterUserPassword` on every `AWS::RDS::DBInstance` and `AWS::RDS::DBCluster`, as written (the
`Ref` itself, not the value it expands to). It fails when the password is a literal (or a mapping
entry, or the literal part of a `!Sub`), comes from a parameter without `NoEcho: true` (or a NoEcho
parameter with a `Default`), or from a plain `{{resolve:ssm:...}}` String parameter. It passes with
`ManageMasterUserPassword: true`, a `{{resolve:secretsmanager:...}}` or `{{resolve:ssm-secure:...}}`
dynamic reference, or a `NoEcho` parameter. Each `Fn::If` branch is judged on its own. Values known only
at deploy time (`!GetAtt`, `!ImportValue`) cannot be verified and are reported as such.

**When the property is absent:** there is no password in the template (RDS manages it with
`ManageMasterUserPassword`, or it comes from a snapshot or the cluster): the check passes.

## Why it matters
A password in a template is in every copy of the repository, in CloudFormation's stored template, and
(for parameters without NoEcho) in the console and `describe-stacks` output of anyone who can read the
stack. It is never rotated. A master password opens every table of a database the lake ingests from.

## Example
```yaml
OrdersDb:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    MasterUsername: admin
    MasterUserPassword: Sup3rSecret!        # LL509
```

## Fix
Let RDS keep the password in Secrets Manager (and rotate it):
```yaml
OrdersDb:
  Type: AWS::RDS::DBInstance
  Properties:
    Engine: postgres
    MasterUsername: admin
    ManageMasterUserPassword: true
```
or reference a secret: `MasterUserPassword: '{{resolve:secretsmanager:orders-db:SecretString:password}}'`.
With the AWS CLI:
```sh
aws rds modify-db-instance --db-instance-identifier orders --manage-master-user-password --apply-immediately
```

## References
- https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/security-best-practices.html#creds
"""

from lakelint.core.check import check
from lakelint.knowledge.passwords import plaintext_password_verdicts

from ._databases import CLUSTER_TYPE, INSTANCE_TYPE

KEY = "MasterUserPassword"


@check(code="LL509", name="rds-no-plaintext-password", severity="high",
       title="RDS master password in plain text in the template",
       resource_types=[INSTANCE_TYPE, CLUSTER_TYPE], sources=["template"],
       reads={INSTANCE_TYPE: [KEY], CLUSTER_TYPE: [KEY]})
def rds_no_plaintext_password(db, ctx):
    yield from plaintext_password_verdicts(db, KEY, "ManageMasterUserPassword")
