"""A DynamoDB table encrypted with the AWS owned key instead of a KMS key.

## What it does
Checks that every `AWS::DynamoDB::Table` and `AWS::DynamoDB::GlobalTable` sets
`SSESpecification.SSEEnabled` to true, which makes DynamoDB encrypt with a KMS key (the customer
managed key in `KMSMasterKeyId`, or the AWS managed key `aws/dynamodb`). An `SSEType` other than `KMS`
fails. Each `Fn::If` branch and each allowed value of a parameter is checked.

Live, `DescribeTable`'s `SSEDescription` is read: a table without one is encrypted with the AWS
owned key, as a template without `SSESpecification`.

**When the property is absent:** DynamoDB still encrypts, but with a key AWS owns and you never see:
no key policy, no CloudTrail record of its use, no way to revoke access. An absent `SSESpecification`
or `SSEEnabled: false` fails.

## Why it matters
With a KMS key, reading the table (and its backups and exports to S3) needs access to the key as well,
and every use of the key is in CloudTrail. Tables that feed the lake through exports or streams hold the
same data as the lake and should be under the same key discipline.

## Example
```yaml
Orders:
  Type: AWS::DynamoDB::Table
  Properties:
    BillingMode: PAY_PER_REQUEST
    KeySchema: [{AttributeName: pk, KeyType: HASH}]
    AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
    # LL511: no SSESpecification
```

## Fix
```yaml
Orders:
  Type: AWS::DynamoDB::Table
  Properties:
    BillingMode: PAY_PER_REQUEST
    KeySchema: [{AttributeName: pk, KeyType: HASH}]
    AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
    SSESpecification:
      SSEEnabled: true
      SSEType: KMS
      KMSMasterKeyId: !Ref TableKey
```
With the AWS CLI:
```sh
aws dynamodb update-table --table-name orders \
  --sse-specification Enabled=true,SSEType=KMS,KMSMasterKeyId=KEY_ARN
```

## References
- https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-dynamodb-table-ssespecification.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-dynamodb-globaltable-ssespecification.html
"""

from lakelint.core.check import check, fail
from lakelint.core.reading import known, read_together
from lakelint.core.values import MISSING, show, truth

from ._databases import switched_on, text, where

TABLE_TYPE = "AWS::DynamoDB::Table"
GLOBAL_TYPE = "AWS::DynamoDB::GlobalTable"
KEY = "SSESpecification"
OWNED_KEY = "DynamoDB encrypts with the AWS owned key, not a KMS key"


@check(code="LL511", name="dynamodb-sse-kms", severity="medium",
       title="DynamoDB table encrypted with the AWS owned key instead of KMS",
       resource_types=[TABLE_TYPE, GLOBAL_TYPE], sources=["template", "live"],
       reads={TABLE_TYPE: [KEY], GLOBAL_TYPE: [KEY]})
def dynamodb_sse_kms(table, ctx):
    for values in read_together(table, KEY):
        spec = known(values.get(KEY, MISSING), KEY, at=where(values, KEY), key=KEY)
        if spec is None:
            continue
        if not isinstance(spec, dict):
            yield fail(f"{KEY} is not set: {OWNED_KEY}", at=where(values, KEY), key=KEY)
            continue
        yield from switched_on(spec, "SSEEnabled", what=f"{KEY}.SSEEnabled", path=f"{KEY}.SSEEnabled",
                               absent=f"{KEY}.SSEEnabled is not set: {OWNED_KEY}")
        sse_type = spec.get("SSEType", MISSING)
        # KMS is SSEType's only value: one known only at deploy time can be nothing else
        if truth(spec.get("SSEEnabled")) is True and text(sse_type) not in (None, "kms"):
            yield fail(f"{KEY}.SSEType is {show(sse_type)}, not KMS", at=where(spec, "SSEType"), key=f"{KEY}.SSEType")
