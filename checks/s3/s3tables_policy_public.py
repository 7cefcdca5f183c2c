"""S3 table bucket or table policy that allows everyone without a condition that narrows who.

## What it does
Reads the `ResourcePolicy` of every `AWS::S3Tables::TableBucketPolicy` and `AWS::S3Tables::TablePolicy`
and fails on each `Allow` statement whose principal is `*` or `{"AWS": "*"}` and that has no condition
tying it to a network, organisation, account or caller. The policy model and the narrowing conditions
are those of the S3 bucket-policy checks (LL108): `aws:SourceVpce`, `aws:SourceVpc`,
`aws:PrincipalOrgID`, `aws:SourceAccount`, `aws:SourceArn`, `aws:SourceIp`, `aws:PrincipalAccount`,
`aws:PrincipalArn`, `aws:PrincipalOrgPaths` and the other keys S3 treats as non-public. A condition
only narrows when it matches listed values: a negated operator (`StringNotEquals`), an `...IfExists`
operator, a `ForAllValues` test, a `*` value or `0.0.0.0/0` does not. Policies written as JSON strings,
every `Fn::If` branch and each allowed value of a parameter are checked; a document or a statement
`Effect` known only at deploy time cannot be verified.

On a live account the table buckets of each scanned region come from `ListTableBuckets` and their
policies from `GetTableBucketPolicy`, each an `AWS::S3Tables::TableBucketPolicy` named
`<bucket>/policy`; each bucket's tables come from `ListTables` and their policies from
`GetTablePolicy`, each an `AWS::S3Tables::TablePolicy` named `<bucket>/<namespace>/<table>/policy`.
A policy that could not be read is reported as "could not evaluate", never passed.

**When the property is absent:** `ResourcePolicy` is required on both types; a bucket or table without
a policy resource grants nothing beyond what IAM grants in its own account, which passes.

## Why it matters
A table bucket holds a lake's Iceberg tables. `"Principal": "*"` lets any principal of any AWS account
read or change those tables with the actions the statement allows; a table policy that does the same
opens one table even when the bucket policy is tight. Narrowed to your organisation or
your VPC endpoint, the same statement says what such statements are almost always meant to say.

## Example
```yaml
LakeTablesPolicy:
  Type: AWS::S3Tables::TableBucketPolicy
  Properties:
    TableBucketARN: !GetAtt LakeTables.TableBucketARN
    ResourcePolicy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Principal: "*"                      # LL132
          Action: [s3tables:GetTableData, s3tables:GetTableMetadataLocation]
          Resource: !Sub "${LakeTables.TableBucketARN}/table/*"
```

## Fix
Name the principals, or narrow `*` to your organisation:
```yaml
        - Effect: Allow
          Principal: "*"
          Action: [s3tables:GetTableData, s3tables:GetTableMetadataLocation]
          Resource: !Sub "${LakeTables.TableBucketARN}/table/*"
          Condition:
            StringEquals:
              aws:PrincipalOrgID: o-exampleorgid
```
With the AWS CLI:
```sh
aws s3tables put-table-bucket-policy --table-bucket-arn TABLE_BUCKET_ARN --resource-policy file://narrowed.json
aws s3tables put-table-policy --table-bucket-arn TABLE_BUCKET_ARN --namespace NAMESPACE --name TABLE \\
  --resource-policy file://narrowed.json
```

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-tables-resource-based-policies.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-s3tables-tablebucketpolicy.html
"""

from lakelint.core.check import check, unknown
from lakelint.knowledge.policy import allow_verdict, policy_branches

BUCKET_POLICY = "AWS::S3Tables::TableBucketPolicy"
TABLE_POLICY = "AWS::S3Tables::TablePolicy"
PATH = "ResourcePolicy"


@check(code="LL132", name="s3tables-policy-public", severity="high",
       title="S3 table bucket or table policy allows everyone without a narrowing condition",
       resource_types=[BUCKET_POLICY, TABLE_POLICY], sources=["template", "live"], preview=True,
       reads={BUCKET_POLICY: [PATH], TABLE_POLICY: [PATH]})
def s3tables_policy_public(policy, ctx):
    what = "table bucket policy" if policy.type == BUCKET_POLICY else "table policy"
    for branch, document in policy_branches(policy, PATH):
        if document.problem:
            yield unknown(f"cannot verify the {what}: {document.problem}", cause=document.cause, branch=branch,
                          key=PATH)
            continue
        for statement in document.may_allow:
            if statement.public_principal and not statement.narrowing_conditions:
                label = f"statement {statement.sid}" if statement.sid else "a statement"
                yield allow_verdict(statement, f"{label} of the {what} allows Principal * with no condition that "
                                               "narrows it (aws:SourceVpce, aws:PrincipalOrgID, aws:SourceAccount, "
                                               "...)", branch=branch, at=statement.pos, key=f"{PATH}.Statement")
