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

from lakelint.core.check import check, fail, unknown
from lakelint.core.propcheck import at_key, flag_verdicts, missing_at, props_branches, text
from lakelint.core.values import MISSING, is_unresolved, show

KEY = "SSESpecification"


@check(code="LL511", name="dynamodb-sse-kms", severity="medium",
       title="DynamoDB table encrypted with the AWS owned key instead of KMS",
       resource_types=["AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable"], sources=["template", "live"])
def dynamodb_sse_kms(table, ctx):
    for branch in props_branches(table, KEY):
        values = branch.value
        spec = values.get(KEY, MISSING)
        if is_unresolved(spec):
            yield unknown(f"cannot verify {KEY}: it {spec.reason}", cause=spec, branch=branch,
                          at=at_key(values, KEY), key=KEY)
            continue
        if spec is MISSING or not isinstance(spec, dict):
            yield fail(f"{KEY} is not set: DynamoDB encrypts with the AWS owned key, not a KMS key",
                       branch=branch, at=missing_at(values, KEY), key=KEY)
            continue
        found = list(flag_verdicts(table, spec, "SSEEnabled", branch, what=f"{KEY}.SSEEnabled",
                                   path=f"{KEY}.SSEEnabled",
                                   absent_message=f"{KEY}.SSEEnabled is not set: DynamoDB encrypts with the "
                                                  f"AWS owned key, not a KMS key"))
        yield from found
        sse_type = spec.get("SSEType", MISSING)
        if not found and sse_type is not MISSING and not is_unresolved(sse_type) and text(sse_type) != "kms":
            yield fail(f"{KEY}.SSEType is {show(sse_type)}, not KMS", branch=branch, at=at_key(spec, "SSEType"),
                       key=f"{KEY}.SSEType")
