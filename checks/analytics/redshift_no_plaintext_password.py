"""A Redshift admin password written in the template or passed through a visible parameter.

## What it does
Checks `MasterUserPassword` of every `AWS::Redshift::Cluster` and `AdminUserPassword` of every
`AWS::RedshiftServerless::Namespace`, on each `Fn::If` branch. It fails when the password is written
in the template (a literal, a mapping entry, the literal part of a `!Sub`), comes from a parameter
without `NoEcho: true` (or a NoEcho parameter with a `Default`), or from a plain
`{{resolve:ssm:...}}` String parameter. It passes a `{{resolve:secretsmanager:...}}` or
`{{resolve:ssm-secure:...}}` dynamic reference, a `NoEcho` parameter without a default, and an absent
password (`ManageMasterPassword` / `ManageAdminPassword: true` lets Redshift keep it in Secrets
Manager). A value only known at deploy time (`!GetAtt`, `!ImportValue`) is reported as unverifiable.

**When the property is absent:** there is no password in the template: Redshift manages it in Secrets
Manager (`ManageMasterPassword`), the cluster is restored from a snapshot, or a serverless namespace
has no admin user, so an absent password passes.

## Why it matters
A template is copied into repositories, CI logs, CloudFormation's console and `describe-stacks`
output. A password in it, or in a parameter CloudFormation shows, is readable by everyone who can read
any of those, and the admin user of the warehouse can read every table in it.

## Example
```yaml
Warehouse:
  Type: AWS::Redshift::Cluster
  Properties:
    NodeType: ra3.xlplus
    ClusterType: single-node
    DBName: lake
    MasterUsername: admin
    MasterUserPassword: Sup3rSecret!   # LL608
```

## Fix
Let Redshift manage the password, or resolve it from Secrets Manager:
```yaml
Warehouse:
  Type: AWS::Redshift::Cluster
  Properties:
    NodeType: ra3.xlplus
    ClusterType: single-node
    DBName: lake
    MasterUsername: admin
    ManageMasterPassword: true
```
With the AWS CLI:
```sh
aws redshift modify-cluster --cluster-identifier warehouse --manage-master-password
```

## References
- https://docs.aws.amazon.com/redshift/latest/mgmt/redshift-secrets-manager-integration.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html
"""

from lakelint.core.check import check
from lakelint.knowledge.passwords import plaintext_password_verdicts

PASSWORDS = {
    "AWS::Redshift::Cluster": ("MasterUserPassword", "ManageMasterPassword"),
    "AWS::RedshiftServerless::Namespace": ("AdminUserPassword", "ManageAdminPassword"),
}


@check(code="LL608", name="redshift-no-plaintext-password", severity="high",
       title="Redshift admin password written in the template or in a parameter without NoEcho",
       resource_types=list(PASSWORDS), sources=["template"],
       # the managed-password property is only named in the advice, never read
       reads={rtype: [prop] for rtype, (prop, _) in PASSWORDS.items()})
def redshift_no_plaintext_password(resource, ctx):
    prop, managed = PASSWORDS[resource.type]
    yield from plaintext_password_verdicts(resource, prop, managed)
