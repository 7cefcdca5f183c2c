"""A resource that passes a check in its template and fails it in the account.

## What it does
For every resource of a stack that `lakelint --live --compare` matches to a template, and for every
check that runs on both sources, compares the check's verdict on the template as deployed with its
verdict on the live resource. It reports the resources that pass in the template and fail in the
account: someone changed the account behind the code's back (Block Public Access turned off in the
console, a bucket policy edited by hand, default encryption removed). The finding is located at the
resource in the template and names the underlying check, the stack, the logical id, the live ARN and
both verdicts' messages (JSON: `drift`).

On both sides the check runs exactly as it would alone: the template's findings are those of the branch
the stack was deployed with (its parameters as `DescribeStacks` gives them, its region and account);
the account's are those of the live resource the stack created (`ListStackResources` links the two).
A side that cannot be judged (an unverifiable template value, a live property that could not be read)
is never drift: the run reports it as could-not-evaluate on that side.

## Why it matters
The review gate saw the template, not the account: a change made in the console never went through
it, and CloudFormation's own drift detection compares only the properties a template sets (a security
default changed in the console stays invisible), never reads `KMSKeyId`, and skips many types. Until
the stack is updated (which may or may not undo the change), the account is weaker than the code says.

## Example
The template sets all four Block Public Access settings on `RawBucket`; in the account,
`BlockPublicPolicy` was turned off by hand:
```text
templates/storage.yaml:12:3: LL801 [high] LL101 s3-block-public-access passes in the template and fails in the account: BlockPublicPolicy is false (RawBucket = arn:aws:s3:::lake-raw)
```

## Fix
Put the account back to what the template says, by updating the stack (CloudFormation then applies the
template's values again) or by hand:
```sh
aws cloudformation update-stack --stack-name STACK --use-previous-template --parameters ...
aws s3api put-public-access-block --bucket lake-raw --public-access-block-configuration \
  BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
```
If the change in the account was meant, make it in the template instead (it then shows as LL802 until
deployed). A live-only comparison has no CloudFormation snippet of its own: the fix is the underlying
check's (`lakelint --explain CODE`).

## References
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-stack-drift.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resource-import-supported-resources.html
"""

from lakelint.core.check import check, fail

from lakelint.core.drift import summary


@check(code="LL801", name="drift-weakened", severity="high",
       title="Resource passes a check in its template and fails it in the account",
       scope="drift", sources=["template", "live"], preview=True, reads={})
def drift_weakened(pair, ctx):
    if pair.template.verdict == "pass" and pair.live.verdict == "fail":
        yield fail(f"{pair.check} {pair.name} passes in the template and fails in the account: "
                   f"{summary(pair.live)}", key=pair.live.keys[0] if pair.live.keys else None)
