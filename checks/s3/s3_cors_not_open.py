"""An S3 bucket CORS rule that lets any origin write or delete.

## What it does
Looks at every rule of `CorsConfiguration.CorsRules` and fails when `AllowedOrigins` contains `*`
and `AllowedMethods` contains `PUT`, `POST` or `DELETE`. Each `Fn::If` branch and each allowed value of
a parameter is checked; origins or methods from a parameter without a value cannot be verified.

Live, `GetBucketCors` gives the rules (`CORSRules` read as `CorsRules`, with the same
`AllowedOrigins` and `AllowedMethods`).

**When the property is absent:** S3 answers no cross-origin request, which passes.

## Why it matters
CORS decides which web pages a browser lets talk to the bucket with the user's credentials or
pre-signed URLs. With origin `*` and write methods, any site a user visits can upload to or delete
from the bucket through that user's browser session. Read-only `GET` from `*` is a different (and
lower) risk, left to the bucket policy.

## Example
```yaml
LandingBucket:
  Type: AWS::S3::Bucket
  Properties:
    CorsConfiguration:
      CorsRules:
        - AllowedOrigins: ["*"]          # LL115
          AllowedMethods: [GET, PUT]
```

## Fix
Name the origins that may upload:
```yaml
LandingBucket:
  Type: AWS::S3::Bucket
  Properties:
    CorsConfiguration:
      CorsRules:
        - AllowedOrigins: ["https://upload.example.com"]
          AllowedMethods: [GET, PUT]
          MaxAge: 3000
```
With the AWS CLI:
```sh
aws s3api put-bucket-cors --bucket BUCKET --cors-configuration file://cors.json
```

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-s3-bucket-corsrule.html
"""

from lakelint.core.check import check, fail
from lakelint.core.reading import known, read
from lakelint.core.values import as_list

WRITE_METHODS = ("PUT", "POST", "DELETE")
PATH = "CorsConfiguration.CorsRules"


@check(code="LL115", name="s3-cors-not-open", severity="low",
       title="S3 CORS rule allows any origin to write or delete",
       resource_types=["AWS::S3::Bucket"], sources=["template", "live"],
       reads={"AWS::S3::Bucket": ["CorsConfiguration"]})
def s3_cors_not_open(bucket, ctx):
    for rules in read(bucket, PATH, what="CORS rules"):
        for rule in as_list(rules):
            if not isinstance(rule, dict):
                continue
            origins = as_list(rule.get("AllowedOrigins"))
            methods = as_list(rule.get("AllowedMethods"))
            open_origin = any(o == "*" for o in origins)
            writes = [m for m in methods if isinstance(m, str) and m.upper() in WRITE_METHODS]
            if open_origin and writes:
                yield fail(f"a CORS rule allows origin * to {', '.join(w.upper() for w in writes)}",
                           at=(rule, "AllowedOrigins"), key=PATH)
            elif open_origin or writes or not origins or not methods:
                # an unknown origin may be *, an unknown method a write: the first one decides
                values = origins + methods + [rule.get("AllowedOrigins"), rule.get("AllowedMethods")]
                for value in values:
                    if value is not None and known(value, "a CORS rule's origins and methods", at=rule,
                                                   key=PATH) is None:
                        break
