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

from lakelint.core.check import check, fail, unknown
from lakelint.core.reading import known, read
from lakelint.core.values import MISSING, Unresolved, show

from ._bucket_names import PLACEHOLDER, Unreadable, doubts, literal_problems, problems, with_known_shapes
from ._name_pieces import WHOLE, Dynamic, constraint, is_literal, parameter_of, pieces


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
    whole = isinstance(name, Unresolved) and bool(WHOLE.match(text))
    subject = "the bucket name" if whole else f"bucket name {show(name)}"
    shaped, parameters = [], []
    for piece in pieces(name):
        shape = str(piece) if is_literal(piece) else constraint(bucket, piece)
        if shape is None:
            yield from unverifiable(piece, subject, whole)
            return
        if parameter_of(piece) is not None:
            try:
                shape.automaton()
            except Unreadable as exc:
                yield unknown(f"cannot verify {subject}: lakelint cannot analyse the AllowedPattern of parameter "
                              f"{parameter_of(piece)} ({exc})", cause=piece, key="BucketName")
                return
            parameters.append((parameter_of(piece), shape))
        shaped.append(shape)
    found = doubts(shaped)
    if found:
        names = " and ".join(name_ for name_, _ in parameters)
        patterns = "; ".join(f"{name_} has AllowedPattern {show(shape.pattern)}" for name_, shape in parameters
                             if shape.pattern is not None)
        yield unknown(f"cannot verify {subject}: parameter {names} may make it {found[0]}"
                      + (f" ({patterns})" if patterns else ""), cause=name, key="BucketName")


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
