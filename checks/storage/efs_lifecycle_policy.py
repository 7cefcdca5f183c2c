"""An EFS file system with no lifecycle transition to Infrequent Access.

## What it does
Checks that every `AWS::EFS::FileSystem` has a `LifecyclePolicies` entry with `TransitionToIA` (for
example `AFTER_30_DAYS`). A list that only transitions to Archive or back to Standard does not count.
Each `Fn::If` branch is checked; an entry removed with `AWS::NoValue` does not count.

**When the property is absent:** a file system created through CloudFormation or the API has no
lifecycle policy (only the console adds `AFTER_30_DAYS`), so every file stays in Standard storage.

**Live:** the policies `DescribeLifecycleConfiguration` returns for each file system of the scanned
Regions; an empty list is a file system without a lifecycle policy.

## Why it matters
Lake-adjacent file systems accumulate files that are written once and rarely read again. Infrequent
Access storage costs a fraction of Standard; without a transition the whole file system is billed at
the Standard rate forever.

## Example
```yaml
SharedFs:
  Type: AWS::EFS::FileSystem
  Properties:
    Encrypted: true        # LL403: no LifecyclePolicies
```

## Fix
```yaml
SharedFs:
  Type: AWS::EFS::FileSystem
  Properties:
    Encrypted: true
    LifecyclePolicies:
      - TransitionToIA: AFTER_30_DAYS
      - TransitionToPrimaryStorageClass: AFTER_1_ACCESS
```
With the AWS CLI:
```sh
aws efs put-lifecycle-configuration --file-system-id fs-12345678 \
  --lifecycle-policies TransitionToIA=AFTER_30_DAYS TransitionToPrimaryStorageClass=AFTER_1_ACCESS
```

## References
- https://docs.aws.amazon.com/efs/latest/ug/lifecycle-management-efs.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-efs-filesystem-lifecyclepolicy.html
"""

from lakelint.core.check import check, fail
from lakelint.core.propcheck import missing_at
from lakelint.core.reading import known, position, read_together
from lakelint.core.values import MISSING, dig

KEY = "LifecyclePolicies"


@check(code="LL403", name="efs-lifecycle-policy", severity="low",
       title="EFS file system without a transition to Infrequent Access",
       resource_types=["AWS::EFS::FileSystem"], sources=["template", "live"],
       reads={"AWS::EFS::FileSystem": [KEY]})
def efs_lifecycle_policy(fs, ctx):
    for values in read_together(fs, KEY):
        where = position(values, KEY)
        policies = values.get(KEY, MISSING)
        if policies is not None and known(policies, KEY, at=where, key=KEY) is None:
            continue
        if policies is MISSING:
            yield fail(f"{KEY} is not set: files never move to Infrequent Access", at=missing_at(values, KEY), key=KEY)
            continue
        if not isinstance(policies, list):
            policies = []
        # any TransitionToIA value is a transition to IA: one known only at deploy time proves it is there
        if any(isinstance(p, dict) and dig(p, "TransitionToIA") is not MISSING for p in policies):
            continue
        # an entry known only at deploy time may be the transition: the first one is what cannot be verified
        if all(p is None or known(p, f"an entry of {KEY}", at=where, key=KEY) is not None for p in policies):
            yield fail(f"{KEY} has no TransitionToIA: files never move to Infrequent Access", at=where, key=KEY)
