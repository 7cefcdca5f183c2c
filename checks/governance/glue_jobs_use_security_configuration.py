"""A Glue job or crawler that runs without a security configuration.

## What it does
Checks every `AWS::Glue::Job` (`SecurityConfiguration`) and `AWS::Glue::Crawler`
(`CrawlerSecurityConfiguration`) on each `Fn::If` branch, `AWS::NoValue` included. A `Ref` to an
`AWS::Glue::SecurityConfiguration`, a literal name or a parameter passes (only presence matters here;
LL712 judges the configuration itself).

Live, it reads `GetJobs` and `GetCrawlers` in each region.

**When the property is absent:** a job or crawler without a security configuration runs with none:
its S3 output, CloudWatch logs and job bookmarks are not encrypted by Glue, so an absent value fails.

## Why it matters
The security configuration only protects data when jobs use it. A job added later without one writes
its output, logs and bookmarks unencrypted even though the account has a perfectly good configuration.

## Example
```yaml
CurateJob:
  Type: AWS::Glue::Job
  Properties:
    Role: !GetAtt GlueRole.Arn
    Command: {Name: glueetl, ScriptLocation: s3://lake-scripts/curate.py}   # LL713
```

## Fix
```yaml
CurateJob:
  Type: AWS::Glue::Job
  Properties:
    Role: !GetAtt GlueRole.Arn
    Command: {Name: glueetl, ScriptLocation: s3://lake-scripts/curate.py}
    SecurityConfiguration: !Ref EtlSecurity
```
With the AWS CLI:
```sh
aws glue update-crawler --name raw-crawler --crawler-security-configuration etl-security
```

## References
- https://docs.aws.amazon.com/glue/latest/dg/encryption-security-configuration.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-glue-job.html
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-glue-crawler.html
"""

from lakelint.core.check import check, fail
from lakelint.core.reading import read
from lakelint.core.values import MISSING

PROPERTY = {"AWS::Glue::Job": "SecurityConfiguration", "AWS::Glue::Crawler": "CrawlerSecurityConfiguration"}


@check(code="LL713", name="glue-jobs-use-security-configuration", severity="medium",
       title="Glue job or crawler without a security configuration",
       resource_types=list(PROPERTY), sources=["template", "live"],
       reads={rtype: [prop] for rtype, prop in PROPERTY.items()})
def glue_jobs_use_security_configuration(resource, ctx):
    prop = PROPERTY[resource.type]
    kind = "job" if resource.type == "AWS::Glue::Job" else "crawler"
    # a name known only at deploy time still names a security configuration
    for name in read(resource, prop, presence=True):
        if name is MISSING or name in (None, ""):
            state = "is empty" if name == "" else "is not set"
            yield fail(f"{prop} {state}: the {kind}'s S3 output, logs and bookmarks are not encrypted by Glue",
                       key=prop)
