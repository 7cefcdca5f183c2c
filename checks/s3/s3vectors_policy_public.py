"""S3 vector bucket policy that allows everyone without a condition that narrows who.

## What it does
Reads the `Policy` of every `AWS::S3Vectors::VectorBucketPolicy` and fails on each `Allow` statement
whose principal is `*` or `{"AWS": "*"}` and that has no condition tying it to a network,
organisation, account or caller. The policy model and the narrowing conditions are those of the S3
bucket-policy checks (LL108): `aws:SourceVpce`, `aws:SourceVpc`, `aws:PrincipalOrgID`,
`aws:SourceAccount`, `aws:SourceArn`, `aws:SourceIp`, `aws:PrincipalAccount`, `aws:PrincipalArn`,
`aws:PrincipalOrgPaths` and the other keys S3 treats as non-public. A condition only narrows when it
matches listed values: a negated operator (`StringNotEquals`), an `...IfExists` operator, a
`ForAllValues` test, a `*` value or `0.0.0.0/0` does not. Policies written as JSON strings, every
`Fn::If` branch and each allowed value of a parameter are checked; a document or a statement `Effect`
known only at deploy time cannot be verified.

On a live account the vector buckets of each scanned region come from `ListVectorBuckets` and their
policies from `GetVectorBucketPolicy`, each an `AWS::S3Vectors::VectorBucketPolicy` named
`<bucket>/policy`. A policy that could not be read is reported as "could not evaluate", never passed.

**When the property is absent:** `Policy` is required; a vector bucket without a policy grants nothing
beyond what IAM grants in its own account, which passes.

## Why it matters
A vector bucket holds the embeddings a retrieval application searches, computed from a lake's
documents. `"Principal": "*"` lets any principal of any AWS account query, read or overwrite those
vectors with the actions the statement allows: the documents leak through similarity search, or
poisoned vectors steer what the application retrieves.

## Example
```yaml
EmbeddingsPolicy:
  Type: AWS::S3Vectors::VectorBucketPolicy
  Properties:
    VectorBucketArn: !GetAtt EmbeddingsBucket.VectorBucketArn
    Policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Principal: "*"                      # LL135
          Action: [s3vectors:QueryVectors, s3vectors:GetVectors]
          Resource: !Sub "${EmbeddingsBucket.VectorBucketArn}/index/*"
```

## Fix
Name the principals, or narrow `*` to your organisation or VPC endpoint:
```yaml
        - Effect: Allow
          Principal: "*"
          Action: [s3vectors:QueryVectors, s3vectors:GetVectors]
          Resource: !Sub "${EmbeddingsBucket.VectorBucketArn}/index/*"
          Condition:
            StringEquals:
              aws:PrincipalOrgID: o-exampleorgid
```
With the AWS CLI:
```sh
aws s3vectors put-vector-bucket-policy --vector-bucket-name lake-embeddings --policy file://narrowed.json
```

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-vectors-access-management.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-s3vectors-vectorbucketpolicy.html
"""

from lakelint.core.check import check, unknown
from lakelint.knowledge.policy import allow_verdict, policy_branches

POLICY = "AWS::S3Vectors::VectorBucketPolicy"
PATH = "Policy"


@check(code="LL135", name="s3vectors-policy-public", severity="high",
       title="S3 vector bucket policy allows everyone without a narrowing condition",
       resource_types=[POLICY], sources=["template", "live"], preview=True,
       reads={POLICY: [PATH]})
def s3vectors_policy_public(policy, ctx):
    for branch, document in policy_branches(policy, PATH):
        if document.problem:
            yield unknown(f"cannot verify the vector bucket policy: {document.problem}", cause=document.cause,
                          branch=branch, key=PATH)
            continue
        for statement in document.may_allow:
            if statement.public_principal and not statement.narrowing_conditions:
                label = f"statement {statement.sid}" if statement.sid else "a statement"
                yield allow_verdict(statement, f"{label} allows Principal * with no condition that narrows it "
                                               "(aws:SourceVpce, aws:PrincipalOrgID, aws:SourceAccount, ...)",
                                    branch=branch, at=statement.pos, key=f"{PATH}.Statement")
