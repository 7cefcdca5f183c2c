"""An S3 bucket name that breaks S3's naming rules.

## What it does
Checks `BucketName` against S3's rules for general purpose buckets: 3 to 63 characters; only
lowercase letters, digits, dots and hyphens; a letter or digit first and last; no two adjacent dots;
not shaped like an IP address; none of the reserved prefixes `xn--`, `sthree-`, `amzn-s3-demo-`; none
of the reserved suffixes `-s3alias`, `--ol-s3`, `.mrap`, `--x-s3`.

Names built with `!Sub` or `!Join` are checked too: `${AWS::AccountId}` is twelve digits,
`${AWS::Region}` and `${AWS::Partition}` are lowercase, so their shape is known. The literal parts of
a name are always checked. A `String` parameter that may take a value the template does not name is
judged by its constraints: its `AllowedPattern` (which CloudFormation matches against the whole value)
and its `MinLength`/`MaxLength` prove the name when every value they allow gives a name of valid
characters and length, beginning and ending with a letter or digit, with no two adjacent periods and
not shaped like an IP address; alone (`BucketName: !Ref BucketName` with `AllowedPattern:
^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$`) or with literal text and pseudo parameters (`!Sub
"acme-${Zone}-lake"`). The reserved prefixes and suffixes are checked in the literal text only. When the
constraints leave a rule unproven (`^[a-z0-9-]{3,40}$` allows a name that begins with `-`), when a
pattern uses what lakelint does not analyse (look-arounds, back-references, case-insensitive
matching), and when part of the name comes from something else known only at deploy time
(`${AWS::StackName}`, which may contain uppercase letters, a parameter without constraints, an
SSM parameter type, a `{{resolve:ssm:...}}` dynamic reference), the name cannot be verified and is
reported as such, naming the rule or the part. Each `Fn::If` branch and each allowed value of a
parameter is checked.

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
A name from a parameter whose constraints allow invalid names cannot be verified:
```yaml
Parameters:
  Zone:
    Type: String
    AllowedPattern: "^[a-z0-9-]{3,40}$"  # allows "-raw"
Resources:
  ZoneBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Ref Zone              # LL116: cannot verify
```

## Fix
```yaml
RawBucket:
  Type: AWS::S3::Bucket
  Properties:
    BucketName: !Sub "raw-data-lake-${AWS::AccountId}-${AWS::Region}"
```
Constrain a name parameter so that every value it accepts is a valid name:
```yaml
Parameters:
  Zone:
    Type: String
    AllowedPattern: "^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$"
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
from lakelint.core.reading import known, read
from lakelint.core.values import MISSING, Unresolved, show

from ._bucket_names import (PLACEHOLDER, Constrained, Unreadable, doubts, literal_problems, problems, pseudo_shape,
                            with_known_shapes)

_WHOLE = re.compile(r"^\$\{[^}]*\}$")
_STRING_TYPES = ("String",)  # AllowedPattern and MinLength/MaxLength constrain a String's value


class Dynamic(str):
    """A ``{{resolve:...}}`` dynamic reference in a name: resolved by CloudFormation at deploy time."""


@check(code="LL116", name="s3-bucket-name-valid", severity="high",
       title="S3 bucket name breaks S3's naming rules",
       resource_types=["AWS::S3::Bucket"], sources=["template"],
       reads={"AWS::S3::Bucket": ["BucketName"]})
def s3_bucket_name_valid(bucket, ctx):
    for name in read(bucket, "BucketName", presence=True):
        if name is MISSING:
            continue
        if not isinstance(name, str):
            yield fail("BucketName is not text", key="BucketName")
        elif not isinstance(name, Unresolved) and "{{resolve:" not in name and "${" not in name:
            found = problems(name)  # the common case: a name known in full
            if found:
                yield fail(f"bucket name {name} {found[0]}", key="BucketName")
        else:
            yield from partly_known(bucket, name)


def partly_known(bucket, name):
    """A name with parts known only at deploy time: what its literal parts break fails; what pseudo
    parameters and constrained parameters prove passes; anything else is unverifiable."""
    text = str(name)
    shortest = with_known_shapes(text, longest=False)
    if not PLACEHOLDER.search(shortest):  # only pseudo parameters, of known shape
        found = problems(shortest)
        if found:
            yield fail(f"bucket name {show(name)} {found[0]}", key="BucketName")
        elif problems(with_known_shapes(text, longest=True)):
            yield unknown(f"cannot verify bucket name {show(name)}: in some regions it is longer than 63 characters",
                          cause=name, key="BucketName")
        return
    found = literal_problems(shortest)
    if found:
        yield fail(f"bucket name {show(name)} {found[0]}", key="BucketName")
        return
    whole = isinstance(name, Unresolved) and bool(_WHOLE.match(text))
    subject = "the bucket name" if whole else f"bucket name {show(name)}"
    shaped, parameters = [], []
    for piece in pieces(name):
        shape = str(piece) if literal(piece) else constraint(bucket, piece)
        if shape is None:
            yield from unverifiable(piece, subject, whole)
            return
        shaped.append(shape)
        if isinstance(piece, Unresolved) and shape is not piece and piece not in _PSEUDO:
            parameters.append((piece, shape))
    try:
        found = doubts(shaped)
    except Unreadable as exc:
        names = " and ".join(sorted(next(iter(p.refs), str(p)) for p, _ in parameters))
        yield unknown(f"cannot verify {subject}: lakelint cannot analyse the AllowedPattern of parameter {names} "
                      f"({exc})", cause=name, key="BucketName")
        return
    if found:
        described = "; ".join(f"{next(iter(p.refs), str(p))} has AllowedPattern {show(c.pattern)}"
                              for p, c in parameters if c.pattern is not None)
        names = " and ".join(next(iter(p.refs), str(p)) for p, _ in parameters)
        yield unknown(f"cannot verify {subject}: parameter {names} may make it {found[0]}"
                      + (f" ({described})" if described else ""), cause=name, key="BucketName")


_PSEUDO = {"${AWS::AccountId}", "${AWS::Region}", "${AWS::Partition}", "${AWS::URLSuffix}"}


def pieces(name) -> list:
    """The name as literal text, dynamic references and unknown values, in order."""
    parts = getattr(name, "parts", None) if isinstance(name, Unresolved) else None
    if parts is None:
        parts = [name] if isinstance(name, Unresolved) and _WHOLE.match(str(name)) else [str(name)]
    found = []
    for part in parts:
        if isinstance(part, Unresolved) and _WHOLE.match(str(part)):
            found.append(part)
            continue
        source = name if isinstance(name, Unresolved) else None
        last = 0
        for match in PLACEHOLDER.finditer(str(part)):
            found.append(str(part)[last:match.start()])
            found.append(_placeholder(match.group(0), source))
            last = match.end()
        found.append(str(part)[last:])
    return [piece for piece in found if piece != "" or not literal(piece)]


def literal(piece) -> bool:
    return not isinstance(piece, (Unresolved, Dynamic))


def _placeholder(text: str, source):
    if text.startswith("{{"):
        return Dynamic(text)
    if source is not None:
        return Unresolved(text, source.reason, source.refs)
    return Unresolved(text, "is known only at deploy time")


def constraint(bucket, piece):
    """What a piece is known to be: a pseudo parameter's shape, or a String parameter's
    ``AllowedPattern`` and ``MinLength``/``MaxLength``; None when nothing constrains it."""
    if literal(piece) or isinstance(piece, Dynamic):
        return None
    shape = pseudo_shape(str(piece))
    if shape is not None:
        return shape
    constraints = getattr(piece, "constraints", None) or {}
    refs = list(getattr(piece, "refs", ()))
    parameters = getattr(bucket.stack, "parameters", None) or {}
    definition = parameters.get(refs[0]) if len(refs) == 1 else None
    if not constraints or not isinstance(definition, dict) or str(definition.get("Type", "String")) not in _STRING_TYPES:
        return None
    pattern = constraints.get("AllowedPattern")
    return Constrained(str(pattern) if isinstance(pattern, str) else None,
                       _length(constraints.get("MinLength")), _length(constraints.get("MaxLength")))


def _length(value):
    try:
        return int(str(value)) if value is not None and not isinstance(value, bool) else None
    except ValueError:
        return None


def unverifiable(piece, subject: str, whole: bool):
    """The unknown verdict for the first piece nothing constrains."""
    if isinstance(piece, Dynamic):
        yield unknown(f"cannot verify {subject}: {piece} is a dynamic reference, resolved only at deploy time",
                      key="BucketName")
    elif str(piece) == "${AWS::StackName}":
        yield unknown(f"cannot verify {subject}: the stack name may contain uppercase letters", cause=piece,
                      key="BucketName")
    else:
        known(piece, subject if whole else f"part of {subject}", key="BucketName")
