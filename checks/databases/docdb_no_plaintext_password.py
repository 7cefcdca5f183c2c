"""A DocumentDB master password written in the template or passed through a parameter without NoEcho.

## What it does
Checks `MasterUserPassword` on every `AWS::DocDB::DBCluster`, as written (the `Ref` itself, not the
value it expands to), the same way as LL509 does for RDS. It fails when the password is a literal (or a
mapping entry, or the literal part of a `!Sub`), comes from a parameter without `NoEcho: true` (or a
NoEcho parameter with a `Default`), or from a plain `{{resolve:ssm:...}}` String parameter. It passes
with `ManageMasterUserPassword: true`, a `{{resolve:secretsmanager:...}}` or
`{{resolve:ssm-secure:...}}` dynamic reference, or a `NoEcho` parameter. Each `Fn::If` branch is judged
on its own; values known only at deploy time (`!GetAtt`, `!ImportValue`) are reported as unverifiable.

**When the property is absent:** there is no password in the template (DocumentDB manages it with
`ManageMasterUserPassword`, or the cluster is restored from a snapshot): the check passes.

## Why it matters
A password in a template is in every copy of the repository and in CloudFormation's stored template;
one from a parameter without NoEcho is shown in the console and by `describe-stacks`. It is never
rotated, and the master user can read every collection.

## Example
```yaml
Catalog:
  Type: AWS::DocDB::DBCluster
  Properties:
    MasterUsername: lake
    MasterUserPassword: Sup3rSecret!        # LL527
```

## Fix
```yaml
Catalog:
  Type: AWS::DocDB::DBCluster
  Properties:
    MasterUsername: lake
    ManageMasterUserPassword: true
```
or `MasterUserPassword: '{{resolve:secretsmanager:catalog-db:SecretString:password}}'`.
With the AWS CLI:
```sh
aws docdb modify-db-cluster --db-cluster-identifier catalog --manage-master-user-password --apply-immediately
```

## References
- https://docs.aws.amazon.com/documentdb/latest/developerguide/docdb-secrets-manager.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/security-best-practices.html#creds
"""

from lakelint.core.check import check
from lakelint.knowledge.passwords import plaintext_password_verdicts

CLUSTER_TYPE = "AWS::DocDB::DBCluster"
KEY = "MasterUserPassword"


@check(code="LL527", name="docdb-no-plaintext-password", severity="high",
       title="DocumentDB master password in plain text in the template",
       resource_types=[CLUSTER_TYPE], sources=["template"], reads={CLUSTER_TYPE: [KEY]})
def docdb_no_plaintext_password(cluster, ctx):
    yield from plaintext_password_verdicts(cluster, KEY, "ManageMasterUserPassword")
