"""A Redshift Serverless namespace without a customer managed KMS key.

## What it does
Checks that every `AWS::RedshiftServerless::Namespace` names a customer managed key in `KmsKeyId`:
a `Ref`/`GetAtt` to an `AWS::KMS::Key`, a key or alias ARN, a customer alias, or a parameter. An
absent value, or an `alias/aws/...` alias, fails. Each `Fn::If` branch is checked.

**When the property is absent:** Redshift Serverless always encrypts a namespace; without `KmsKeyId`
it uses an AWS owned key, which you cannot see, audit or control, so an absent value fails.

**Live:** `ListNamespaces` names the namespace's key; `AWS_OWNED_KMS_KEY` there is the AWS owned key
and fails. A key it names is read as KMS describes it (`DescribeKey`): `KeyManager` `AWS` is an AWS
managed key and fails; a key that is not among the region's keys belongs to another account, so it is
customer managed.

## Why it matters
The namespace holds the serverless warehouse's databases, users and recovery points. With your own
key, the key policy decides who can decrypt them, every use is logged in CloudTrail, access can be cut
by disabling the key, and snapshots can be shared with other accounts.

## Example
```yaml
Analytics:
  Type: AWS::RedshiftServerless::Namespace
  Properties:
    NamespaceName: analytics      # LL611: no KmsKeyId
```

## Fix
```yaml
Analytics:
  Type: AWS::RedshiftServerless::Namespace
  Properties:
    NamespaceName: analytics
    KmsKeyId: !Ref AnalyticsKey
```
With the AWS CLI:
```sh
aws redshift-serverless update-namespace --namespace-name analytics --kms-key-id KEY_ARN
```

## References
- https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-workgroups-and-namespaces.html
- https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-db-encryption.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-redshiftserverless-namespace.html
"""

from lakelint.core.check import check
from lakelint.core.reading import read_together

from ..storage._keys import KEY_READS, customer_key

NAMESPACE = "AWS::RedshiftServerless::Namespace"


@check(code="LL611", name="redshift-serverless-kms", severity="medium",
       title="Redshift Serverless namespace without a customer managed key",
       resource_types=[NAMESPACE], sources=["template", "live"],
       reads={NAMESPACE: ["KmsKeyId"], **KEY_READS})
def redshift_serverless_kms(namespace, ctx):
    absent = ("the namespace is encrypted with an AWS owned key (AWS_OWNED_KMS_KEY), not a customer managed key"
              if namespace.source == "live" else
              "KmsKeyId is not set: the namespace is encrypted with an AWS owned key, not a customer managed key")
    for values in read_together(namespace, "KmsKeyId"):
        yield from customer_key(namespace, values, service_alias="aws/redshift", absent=absent)
