"""An S3 bucket name that breaks S3's naming rules.

## What it does
Checks `BucketName` against S3's rules for general purpose buckets: 3 to 63 characters; only
lowercase letters, digits, dots and hyphens; a letter or digit first and last; no two adjacent dots;
not shaped like an IP address; none of the reserved prefixes `xn--`, `sthree-`, `amzn-s3-demo-`; none
of the reserved suffixes `-s3alias`, `--ol-s3`, `.mrap`, `--x-s3`.

Names built with `!Sub` or `!Join` are checked too: `${AWS::AccountId}` is twelve digits,
`${AWS::Region}` and `${AWS::Partition}` are lowercase, so their shape is known. The literal parts of
a name are always checked; when the rest comes from something whose content is only known at deploy
time (`${AWS::StackName}`, which may contain uppercase letters, a parameter without a value, or a
`{{resolve:ssm:...}}` dynamic reference) and
the literal parts are fine, the name cannot be verified and is reported as such. Each `Fn::If` branch
and each allowed value of a parameter is checked.

**When the property is absent:** CloudFormation generates a valid unique name, which passes.

## Why it matters
A name S3 rejects fails the stack at deploy time, often after other resources were created and have
to be rolled back; a name that depends on the stack name works in one account and fails in the next
one where someone named the stack `DataLake`. Catching it before deployment is cheap.

## Example
```yaml
RawBucket:
  Type: AWS::S3::Bucket
  Properties:
    BucketName: Raw_Data_Lake            # LL116: uppercase and underscores
```

## Fix
```yaml
RawBucket:
  Type: AWS::S3::Bucket
  Properties:
    BucketName: !Sub "raw-data-lake-${AWS::AccountId}-${AWS::Region}"
```
With the AWS CLI, check a name before using it (an invalid one fails with `InvalidBucketName`):
```sh
aws s3api create-bucket --bucket raw-data-lake-111122223333-eu-west-1 --region eu-west-1 \
  --create-bucket-configuration LocationConstraint=eu-west-1
```

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-s3-bucket.html#cfn-s3-bucket-bucketname
"""

import re

from lakelint.core.check import check, fail, unknown
from lakelint.core.values import MISSING, is_unresolved

MIN_LENGTH, MAX_LENGTH = 3, 63
RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3")
_ALLOWED = re.compile(r"[a-z0-9.\-]")
_IP_SHAPE = re.compile(r"^\d+\.\d+\.\d+\.\d+$")
# ${...} parts the template resolves at deploy time, and {{resolve:ssm:...}} dynamic references
_PLACEHOLDER = re.compile(r"\$\{[^}]*\}|\{\{resolve:[^}]*\}\}")
# Pseudo parameters whose shape is known: (shortest, longest) text they can stand for.
_KNOWN_SHAPES = {
    "${AWS::AccountId}": ("111122223333", "111122223333"),
    "${AWS::Region}": ("us-east-1", "ap-southeast-2"),
    "${AWS::Partition}": ("aws", "aws-us-gov"),
    "${AWS::URLSuffix}": ("amazonaws.com", "amazonaws.com.cn"),
}


def problems(name: str) -> list:
    """What is wrong with a fully known name, worst first."""
    found = []
    bad = sorted({c for c in name if not _ALLOWED.match(c)})
    if bad:
        found.append(f"contains {', '.join(repr(c) for c in bad)} (only lowercase letters, digits, '.' and '-')")
    if not MIN_LENGTH <= len(name) <= MAX_LENGTH:
        found.append(f"is {len(name)} characters long (3 to 63)")
    if name and not (name[0].isalnum() and name[-1].isalnum()):
        found.append("must begin and end with a letter or digit")
    if ".." in name:
        found.append("contains two adjacent periods")
    if _IP_SHAPE.match(name):
        found.append("is formatted as an IP address")
    found += [f"starts with the reserved prefix {p}" for p in RESERVED_PREFIXES if name.startswith(p)]
    found += [f"ends with the reserved suffix {s}" for s in RESERVED_SUFFIXES if name.endswith(s)]
    return found


def literal_problems(text: str) -> list:
    """What is certainly wrong with a name whose ``${...}`` parts are unknown: its literal parts."""
    parts = _PLACEHOLDER.split(text)
    literal = "".join(parts)
    found = []
    bad = sorted({c for c in literal if not _ALLOWED.match(c)})
    if bad:
        found.append(f"contains {', '.join(repr(c) for c in bad)} (only lowercase letters, digits, '.' and '-')")
    if any(".." in part for part in parts):
        found.append("contains two adjacent periods")
    if len(literal) > MAX_LENGTH:
        found.append(f"is longer than {MAX_LENGTH} characters")
    head, tail = parts[0], parts[-1]
    if (head and not head[0].isalnum()) or (tail and not tail[-1].isalnum()):
        found.append("must begin and end with a letter or digit")
    found += [f"starts with the reserved prefix {p}" for p in RESERVED_PREFIXES if head.startswith(p)]
    found += [f"ends with the reserved suffix {s}" for s in RESERVED_SUFFIXES if tail.endswith(s)]
    return found


def with_known_shapes(text: str, longest: bool) -> str:
    for placeholder, shapes in _KNOWN_SHAPES.items():
        text = text.replace(placeholder, shapes[1] if longest else shapes[0])
    return text


@check(code="LL116", name="s3-bucket-name-valid", severity="high",
       title="S3 bucket name breaks S3's naming rules",
       resource_types=["AWS::S3::Bucket"], sources=["template"])
def s3_bucket_name_valid(bucket, ctx):
    for branch in bucket.branches("BucketName"):
        name = branch.value
        if name is MISSING:
            continue
        if not isinstance(name, str):
            yield fail("BucketName is not text", branch=branch, key="BucketName")
            continue
        if not is_unresolved(name) and not _PLACEHOLDER.search(name):
            found = problems(name)
            if found:
                yield fail(f"bucket name {name} {found[0]}", branch=branch, key="BucketName")
            continue
        shortest = with_known_shapes(str(name), longest=False)
        if not _PLACEHOLDER.search(shortest):
            found = problems(shortest)
            if found:
                yield fail(f"bucket name {name} {found[0]}", branch=branch, key="BucketName")
            elif problems(with_known_shapes(str(name), longest=True)):
                yield unknown(f"cannot verify bucket name {name}: in some regions it is longer than {MAX_LENGTH} "
                              "characters", cause=name, branch=branch, key="BucketName")
            continue
        found = literal_problems(shortest)
        if found:
            yield fail(f"bucket name {name} {found[0]}", branch=branch, key="BucketName")
        else:
            unknown_part = _PLACEHOLDER.search(shortest).group(0)
            if unknown_part == "${AWS::StackName}":
                why = "the stack name may contain uppercase letters"
            elif unknown_part.startswith("{{resolve:"):
                why = f"{unknown_part} is a dynamic reference, resolved only at deploy time"
            else:
                why = f"part of it {getattr(name, 'reason', 'is known only at deploy time')}"
            yield unknown(f"cannot verify bucket name {name}: {why}", cause=name, branch=branch, key="BucketName")
