"""A Timestream database encrypted with the AWS managed key.

## What it does
Checks that every `AWS::Timestream::Database` names a customer managed key in `KmsKeyId`: a
`Ref`/`GetAtt` to an `AWS::KMS::Key`, a key or alias ARN, a customer alias, or a parameter. An absent
value or `alias/aws/timestream` fails. Each `Fn::If` branch is checked.

**When the property is absent:** Timestream encrypts the database with the AWS managed key
`alias/aws/timestream`, created in your account on first use, so an absent value fails.

**Live:** `ListDatabases` always gives the database's key as an ARN, the AWS managed key's too, so the
check reads that key as KMS describes it (`DescribeKey`): `KeyManager` `AWS` fails. A key that is not
among the region's keys belongs to another account, so it is customer managed (AWS managed keys are
never shared across accounts).

## Why it matters
Timestream databases hold sensor, telemetry and operational time series that often feed the lake. The
AWS managed key's policy cannot be changed: anyone the account lets use Timestream can decrypt the
data. A key of your own lets the key policy, not only IAM, decide who reads it, and lets you revoke
access by disabling the key.

## Example
```yaml
Telemetry:
  Type: AWS::Timestream::Database
  Properties:
    DatabaseName: telemetry     # LL621: no KmsKeyId
```

## Fix
```yaml
Telemetry:
  Type: AWS::Timestream::Database
  Properties:
    DatabaseName: telemetry
    KmsKeyId: !Ref TelemetryKey
```
With the AWS CLI:
```sh
aws timestream-write update-database --database-name telemetry --kms-key-id KEY_ARN
```

## References
- https://docs.aws.amazon.com/timestream/latest/developerguide/EncryptionAtRest.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-timestream-database.html
"""

from lakelint.core.check import check
from lakelint.core.reading import read_together

from ..storage._keys import KEY_READS, customer_key

DATABASE = "AWS::Timestream::Database"


@check(code="LL621", name="timestream-kms-customer-managed-key", severity="low",
       title="Timestream database without a customer managed key",
       resource_types=[DATABASE], sources=["template", "live"],
       reads={DATABASE: ["KmsKeyId"], **KEY_READS})
def timestream_kms_customer_managed_key(database, ctx):
    absent = ("the database names no key: it is encrypted with the AWS managed key aws/timestream"
              if database.source == "live" else
              "KmsKeyId is not set: the database is encrypted with the AWS managed key alias/aws/timestream")
    for values in read_together(database, "KmsKeyId"):
        yield from customer_key(database, values, service_alias="aws/timestream", absent=absent)
