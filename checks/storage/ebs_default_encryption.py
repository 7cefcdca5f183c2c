"""EBS encryption by default is off in a Region.

## What it does
Live only: for every scanned Region, reads the account's EBS encryption-by-default setting
(`GetEbsEncryptionByDefault`) and fails when it is off. lakelint records the setting as one
`LakeLint::EC2::EbsDefaults` record per Region, named after the Region, together with the Region's
default EBS key (`GetEbsDefaultKmsKeyId`, linked to its key record), which this check does not judge.
A template cannot express this setting: it belongs to the account, not to a stack.

**When the property is absent:** EBS encryption by default is off in every Region until someone turns
it on; the API always answers true or false.

## Why it matters
With encryption by default on, every new volume and snapshot copy in the Region is encrypted, whoever
creates it: an instance's root volume, a volume EMR, Auto Scaling or an AMI launches, a template that
forgot `Encrypted: true`. Without it, each of those has to ask for encryption, and the ones that do not
hold lake extracts in plain text (LL411 finds them one by one, after the fact). An unencrypted volume
cannot be encrypted in place: it has to be copied.

## Example
```sh
$ aws ec2 get-ebs-encryption-by-default --region eu-west-1
{
    "EbsEncryptionByDefault": false        # LL413
}
```

## Fix
Turn it on in every Region the account uses (it is a per-Region setting), and point it at a customer
managed key:
```sh
aws ec2 enable-ebs-encryption-by-default --region eu-west-1
aws ec2 modify-ebs-default-kms-key-id --kms-key-id KEY_ARN --region eu-west-1
```
There is no CloudFormation resource for this setting; in an organization, an AWS Config rule
(`ec2-ebs-encryption-by-default`) or a declarative policy can keep it on.

## References
- https://docs.aws.amazon.com/ebs/latest/userguide/encryption-by-default.html
- https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetEbsEncryptionByDefault.html
- https://docs.aws.amazon.com/config/latest/developerguide/ec2-ebs-encryption-by-default.html
"""

from lakelint.core.check import check, fail, unknown
from lakelint.core.reading import read
from lakelint.core.values import MISSING, show, truth

KEY = "EbsEncryptionByDefault"


@check(code="LL413", name="ebs-default-encryption", severity="medium",
       title="EBS encryption by default is off in a Region",
       resource_types=["LakeLint::EC2::EbsDefaults"], sources=["live"],
       reads={"LakeLint::EC2::EbsDefaults": [KEY]})
def ebs_default_encryption(defaults, ctx):
    for value in read(defaults, KEY, what="EBS encryption by default"):
        if value is MISSING:
            yield unknown("cannot verify EBS encryption by default: the Region's setting was not read", key=KEY)
        elif truth(value) is not True:
            yield fail(f"EBS encryption by default is off in {defaults.region or defaults.name} ({KEY} is "
                       f"{show(value)}): new volumes are unencrypted unless each launch asks for encryption", key=KEY)
