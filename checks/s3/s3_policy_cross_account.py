"""An S3 bucket policy that allows an account that is neither the bucket's own nor trusted.

## What it does
Reads every AWS principal of every `Allow` statement of an `AWS::S3::BucketPolicy` (account ids,
`arn:aws:iam::ACCOUNT:...` and `arn:aws:sts::ACCOUNT:...` ARNs) and fails when its account is
neither the bucket's own nor listed in the `trusted-accounts` option. In a template the bucket's own
account is `${AWS::AccountId}`: principals built with it, `!GetAtt` of a role of the same template
and `!ImportValue` (exports never leave their account) are the stack's own, and so is a CloudFront
origin access identity the template creates (`arn:aws:iam::cloudfront:user/CloudFront Origin Access
Identity ${OAI}` with `OAI` an `AWS::CloudFront::CloudFrontOriginAccessIdentity` of the template; its
`CanonicalUser` form names no account). A literal account id is only accepted when it is in
`trusted-accounts`. A principal whose account comes from a parameter without a value cannot be
verified: the finding names what the account comes from (the parameter in the ARN's account field,
not the `${AWS::Partition}` before it). `*` principals are LL108's concern; service principals are
not accounts.

Live, each bucket's policy (`GetBucketPolicy`) is an `AWS::S3::BucketPolicy` named `<bucket>/policy`,
and the bucket's own account is the scanned account (the resource's `account`), so a principal of
that account passes; a policy that could not be read is reported as "could not evaluate".

```yaml
# .lakelint.yaml
trusted-accounts: ["111122223333"]
```

**When the property is absent:** with no `trusted-accounts` configured, every other account is
untrusted.

## Why it matters
A bucket policy is the one place where another account can be given access to lake data without
anyone in that account asking for it, and account ids are easy to mistype or leave behind after a
partnership ends. Listing the accounts the organisation trusts turns every other grant into a finding
that someone has to explain.

## Example
```yaml
        - Effect: Allow
          Principal: {AWS: "arn:aws:iam::444455556666:root"}   # LL111: not trusted
          Action: s3:GetObject
          Resource: !Sub "${LakeBucket.Arn}/*"
```

## Fix
Remove the grant, or record the account as trusted:
```yaml
# .lakelint.yaml
trusted-accounts: ["444455556666"]
```
With the AWS CLI, remove the statement from the live policy:
```sh
aws s3api get-bucket-policy --bucket BUCKET --query Policy --output text > policy.json
# edit policy.json, then
aws s3api put-bucket-policy --bucket BUCKET --policy file://policy.json
```

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-walkthroughs-managing-access-example2.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
"""

from lakelint.core.check import check
from lakelint.core.options import ACCOUNT_IDS, Option
from lakelint.core.reading import known
from lakelint.knowledge.policy import OWN_ACCOUNT, allow_verdict, read_policy

PATH = "PolicyDocument.Statement.Principal"


def own_accounts(policy) -> set:
    """The accounts that are the bucket's own: the stack's (templates) or the resource's (live)."""
    own = {OWN_ACCOUNT}
    for resource in [policy] + policy.related("target"):
        if resource.account:
            own.add(str(resource.account))
    return own


@check(code="LL111", name="s3-policy-cross-account", severity="medium",
       title="S3 bucket policy allows an untrusted account",
       resource_types=["AWS::S3::BucketPolicy"], sources=["template", "live"],
       options={"trusted-accounts": Option(
           ACCOUNT_IDS, [], "accounts besides the bucket's own that its policy may grant access to")},
       reads={"AWS::S3::BucketPolicy": ["PolicyDocument"]})
def s3_policy_cross_account(policy, ctx):
    trusted = {str(a) for a in (ctx.option("trusted-accounts") or [])}
    own = own_accounts(policy)
    for document in read_policy(policy, "PolicyDocument", what="the bucket policy"):
        for statement in document.may_allow:
            for principal, account in statement.principal_accounts:
                if account is None:
                    if principal.unresolved and not principal.created_in(policy.stack):
                        known(principal.account_source, f"the account of {principal.named}", at=statement.pos,
                              key=PATH)
                    continue
                if account in own or account in trusted:
                    continue
                yield allow_verdict(statement, f"allows account {account}, which is neither the bucket's own nor in "
                                    "trusted-accounts", at=statement.pos, key=PATH)
