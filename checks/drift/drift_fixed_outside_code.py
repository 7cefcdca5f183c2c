"""A resource that fails a check in its template and passes it in the account.

## What it does
For every resource of a stack that `lakelint --live --compare` matches to a template, and for every
check that runs on both sources, compares the check's verdict on the template as deployed with its
verdict on the live resource. It reports the resources that fail in the template and pass in the
account: someone fixed the account by hand (turned versioning on, added a TLS-only bucket policy), and
the code does not hold the fix. The finding is located at the resource in the template and names the
underlying check, the stack, the logical id, the live ARN and both verdicts' messages (JSON: `drift`).

On both sides the check runs exactly as it would alone: the template's findings are those of the branch
the stack was deployed with (its parameters as `DescribeStacks` gives them, its region and account);
the account's are those of the live resource the stack created (`ListStackResources` links the two).
A side that cannot be judged (an unverifiable template value, a live property that could not be read)
is never drift: the run reports it as could-not-evaluate on that side.

## Why it matters
A manual fix is one deployment away from being undone: the next stack update applies the template
again, and the template still holds the problem. The template's own finding (the underlying check)
stays in the code review, but it reads as a new problem when the account has in fact been safe: this
finding says the two differ, and that the code is what must change.

## Example
```text
templates/storage.yaml:31:3: LL802 [low] LL112 s3-versioning-enabled fails in the template and passes in the account: versioning is not enabled (VersioningConfiguration is not set) (CuratedBucket = arn:aws:s3:::lake-curated)
```

## Fix
Write the fix into the template, as the underlying check's documentation shows
(`lakelint --explain CODE`), so the next deployment keeps it:
```yaml
CuratedBucket:
  Type: AWS::S3::Bucket
  Properties:
    VersioningConfiguration: {Status: Enabled}
```
With the AWS CLI there is nothing to do in the account: it is already right. Deploy the corrected
template:
```sh
aws cloudformation deploy --stack-name lake-storage --template-file templates/storage.yaml
```

## References
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-stack-drift.html
"""

from lakelint.core.check import check, fail

from lakelint.core.drift import summary


@check(code="LL802", name="drift-fixed-outside-code", severity="low",
       title="Resource fails a check in its template and passes it in the account",
       scope="drift", sources=["template", "live"], preview=True, reads={})
def drift_fixed_outside_code(pair, ctx):
    if pair.template.verdict == "fail" and pair.live.verdict == "pass":
        yield fail(f"{pair.check} {pair.name} fails in the template and passes in the account: "
                   f"{summary(pair.template)}")
