"""An S3 access point policy that allows everyone or every action.

## What it does
Reads the `Policy` of every `AWS::S3::AccessPoint` and fails on each `Allow` statement whose principal
is `*` (or `{"AWS": "*"}`) without a condition that narrows it (the same narrowing conditions as
LL108: `aws:SourceVpce`, `aws:SourceVpc`, `aws:PrincipalOrgID`, `aws:SourceAccount`, `aws:SourceArn`,
`aws:SourceIp` and the other keys S3 treats as non-public), and on each `Allow` of `s3:*` or `*`.
Documents written as JSON strings and every `Fn::If` branch are checked. On a live account the access
points of each scanned region come from s3control's `ListAccessPoints` and their policies from
`GetAccessPointPolicy`.

**When the property is absent:** an access point without a policy grants nothing by itself (requests
need the bucket policy and IAM to allow them), which passes.

## Why it matters
Access points exist to give each consumer of a shared lake bucket a narrow door. A policy that lets
everyone in, or lets its principals do everything (including changing the access point's own
policy), turns that door into a second, wider bucket policy that reviews of the bucket policy miss.

## Example
```yaml
AnalyticsAccessPoint:
  Type: AWS::S3::AccessPoint
  Properties:
    Bucket: !Ref CuratedBucket
    Policy:
      Statement:
        - Effect: Allow
          Principal: "*"                 # LL123
          Action: s3:*                   # LL123
          Resource: !Sub "arn:aws:s3:${AWS::Region}:${AWS::AccountId}:accesspoint/analytics/object/*"
```

## Fix
```yaml
    Policy:
      Statement:
        - Effect: Allow
          Principal: {AWS: !GetAtt AnalystRole.Arn}
          Action: [s3:GetObject, s3:ListBucket]
          Resource:
            - !Sub "arn:aws:s3:${AWS::Region}:${AWS::AccountId}:accesspoint/analytics"
            - !Sub "arn:aws:s3:${AWS::Region}:${AWS::AccountId}:accesspoint/analytics/object/*"
```
With the AWS CLI:
```sh
aws s3control put-access-point-policy --account-id ACCOUNT --name analytics --policy file://access-point-policy.json
```

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-points-policies.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
"""

from lakelint.core.check import check
from lakelint.knowledge.policy import allow_verdict, read_policy

PATH = "Policy.Statement"


@check(code="LL123", name="s3-access-point-policy", severity="high",
       title="S3 access point policy allows everyone or every action",
       resource_types=["AWS::S3::AccessPoint"], sources=["template", "live"],
       reads={"AWS::S3::AccessPoint": ["Policy"]})
def s3_access_point_policy(access_point, ctx):
    for document in read_policy(access_point, "Policy", what="the access point policy"):
        for statement in document.may_allow:
            if statement.public_principal and not statement.narrowing_conditions:
                yield allow_verdict(statement, f"{statement.label} allows Principal * with no condition that narrows it",
                                    at=statement.pos, key=PATH)
            wildcards = statement.wildcard_actions("s3")
            if wildcards:
                yield allow_verdict(statement, f"{statement.label} allows Action {wildcards[0]}", at=statement.pos,
                                    key=PATH)
