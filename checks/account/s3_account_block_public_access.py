"""The account-level S3 Block Public Access settings are not all true.

## What it does
Reads the account's S3 Block Public Access configuration (s3control `GetPublicAccessBlock`, on the
`LakeLint::Account` record of a live scan) and fails for each of `BlockPublicAcls`,
`BlockPublicPolicy`, `IgnorePublicAcls` and `RestrictPublicBuckets` that is not true. Live only: a
template cannot set it (CloudFormation has no resource for the account-level configuration). When the
settings could not be read, the run reports that it could not evaluate the check (exit code 2),
naming the IAM action `s3:GetAccountPublicAccessBlock`; it never passes.

**When the property is absent:** an account that never configured Block Public Access
(`NoSuchPublicAccessBlockConfiguration`) has all four settings off, so each of them fails. AWS turns
Block Public Access on for new buckets, not for the account.

## Why it matters
The account-level settings apply to every bucket and access point of the account, present and
future, whatever each bucket says. They are the one control that keeps a data lake private when a
bucket is created outside the usual templates, a bucket-level setting is switched off for a test, or
a policy with `Principal: "*"` slips through review. LL101 checks each bucket; this check makes sure
the account-wide safety net is there too.

## Example
```console
$ aws s3control get-public-access-block --account-id 111122223333
{
    "PublicAccessBlockConfiguration": {
        "BlockPublicAcls": true,
        "IgnorePublicAcls": true,
        "BlockPublicPolicy": false,
        "RestrictPublicBuckets": false
    }
}
```
LL302 reports `BlockPublicPolicy` and `RestrictPublicBuckets` on account 111122223333.

## Fix
CloudFormation has no resource for the account-level settings; set them once per account with the
AWS CLI (or in the S3 console: "Block Public Access settings for this account", "Edit", check "Block
all public access"):
```sh
aws s3control put-public-access-block --account-id 111122223333 --public-access-block-configuration \
  BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
```
Buckets that must serve public content belong in an account of their own, where this check can be
suppressed with a reason.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/configuring-block-public-access-account.html
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_GetPublicAccessBlock.html
"""

from lakelint.core.check import check, fail
from lakelint.core.reading import known
from lakelint.core.values import MISSING, dig, show, truth

SETTINGS = ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")
PATH = "PublicAccessBlockConfiguration"
ACCOUNT = "LakeLint::Account"


@check(code="LL302", name="s3-account-block-public-access", severity="high",
       title="Account-level S3 Block Public Access settings not all true",
       resource_types=[ACCOUNT], scope="run", sources=["live"], reads={ACCOUNT: [PATH]})
def s3_account_block_public_access(resources, ctx):
    """Once per account: every region's stack carries the same account record."""
    accounts = {}
    for resource in resources:
        if resource.type == ACCOUNT:
            accounts.setdefault(resource.account, resource)
    for _, account in sorted(accounts.items(), key=lambda item: item[0] or ""):
        yield from judge(account)


def judge(account):
    """A run check sees lakelint's account records whole, without branches (live has none): the
    configuration is read from the record, an unreadable one reported centrally."""
    config = dig(account.props, PATH) if isinstance(account.props, dict) else MISSING
    if known(config, "the account-level Block Public Access settings", key=PATH, resource=account) is None:
        return
    if not isinstance(config, dict):
        yield fail("the account has no Block Public Access configuration: all four settings are off", key=PATH,
                   resource=account)
        return
    for setting in SETTINGS:
        value = config.get(setting, MISSING)
        if truth(value) is True:
            continue
        written = "not set (false when absent)" if value is MISSING else show(value)
        yield fail(f"account-level {setting} is {written}", key=f"{PATH}.{setting}", resource=account)
