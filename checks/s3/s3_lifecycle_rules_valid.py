"""An S3 lifecycle rule that S3 would reject or that cannot work, or no abort of incomplete uploads.

## What it does
Checks every rule of `LifecycleConfiguration.Rules` against the constraints S3 documents in
"Transitioning objects using Amazon S3 Lifecycle" (constraints and the supported-transitions
waterfall) and the lifecycle configuration elements:

- a transition to `STANDARD_IA` or `ONEZONE_IA` before 30 days (`TransitionInDays`, and
  `NoncurrentVersionTransition(s)` before 30 noncurrent days): S3 requires objects to be at least 30
  days old before moving them to an infrequent-access class;
- transitions out of order: sorted by days (or date), each step must follow S3's waterfall
  (`STANDARD_IA` -> `INTELLIGENT_TIERING` -> `ONEZONE_IA` -> `GLACIER_IR` -> `GLACIER` -> `DEEP_ARCHIVE`,
  with no step from `ONEZONE_IA` to `GLACIER_IR`), and an object must stay 30 days in `STANDARD_IA` or
  `ONEZONE_IA` before the next transition;
- an expiration at or before the last transition (`ExpirationInDays` / `ExpirationDate` against
  `Transitions`, `NoncurrentVersionExpiration` against the noncurrent transitions);
- `Days` and `Date` mixed in one rule, and `AbortIncompleteMultipartUpload` in a rule filtered by
  tags, both of which S3 rejects;
- no enabled rule with `AbortIncompleteMultipartUpload` on a lake bucket (every bucket except server
  access log buckets, which S3's log delivery writes without multipart uploads: the access-log
  destination of another bucket of the template (live: of the account and region), where that bucket
  exists (its `Condition`), or a bucket with the `LogDeliveryWrite` ACL).

Live, the rules come from `GetBucketLifecycleConfiguration` (its `Filter`, `Expiration` and
`Transitions` read as CloudFormation's `Prefix`/`TagFilters`, `ExpirationInDays` and
`TransitionInDays`), the ACL from `GetBucketAcl` and the log destinations from `GetBucketLogging`.

Disabled rules are validated too (S3 validates the whole configuration). Each `Fn::If` branch and
each allowed value of a parameter is checked; a day count from a parameter without a value cannot be
verified.

**When the property is absent:** a bucket without lifecycle rules keeps the parts of every
interrupted multipart upload forever, billed as storage and invisible in object listings, so it fails
the abort requirement (LL103 separately reports that it has no transition or expiration).

## Why it matters
A rule S3 rejects fails the whole stack update at deploy time. A rule that is accepted but cannot
work as written (an expiration that deletes objects before they reach their archive class) silently
costs money or loses data. Interrupted multipart uploads are the classic hidden cost of data lakes:
Spark, EMR, Glue and `aws s3 cp` of large files all use multipart uploads, and every failed job
leaves its parts behind.

## Example
```yaml
RawBucket:
  Type: AWS::S3::Bucket
  Properties:
    LifecycleConfiguration:
      Rules:
        - Id: tiering
          Status: Enabled
          Transitions:
            - {StorageClass: STANDARD_IA, TransitionInDays: 7}    # LL104: before 30 days
            - {StorageClass: GLACIER, TransitionInDays: 20}       # LL104: 30 days in STANDARD_IA first
          ExpirationInDays: 15                                    # LL104: before the last transition
```

## Fix
```yaml
RawBucket:
  Type: AWS::S3::Bucket
  Properties:
    LifecycleConfiguration:
      Rules:
        - Id: tiering
          Status: Enabled
          Transitions:
            - {StorageClass: STANDARD_IA, TransitionInDays: 30}
            - {StorageClass: GLACIER, TransitionInDays: 90}
          ExpirationInDays: 365
        - Id: abort-incomplete-uploads
          Status: Enabled
          AbortIncompleteMultipartUpload:
            DaysAfterInitiation: 7
```
With the AWS CLI:
```sh
aws s3api put-bucket-lifecycle-configuration --bucket BUCKET --lifecycle-configuration file://lifecycle.json
```

## Fix safety
Only the missing abort of incomplete uploads is fixed: the fix adds a rule
`abort-incomplete-multipart-uploads` (`Status: Enabled`, no filter, `AbortIncompleteMultipartUpload`
after 7 days) to `LifecycleConfiguration.Rules`, creating them if needed. An upload still running
after 7 days is aborted, so a job that keeps a multipart upload open longer must be given a rule of
its own. Rules that S3 rejects or that cannot work are not fixed: which days are right is the
author's decision. No rule is added where a rule is chosen by `Fn::If` or written as an intrinsic
function, or where a rule of that Id is there already. LL103 is not fixed by it: a rule that only
aborts uploads neither transitions nor expires objects.

## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/intro-lifecycle-rules.html
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpu-abort-incomplete-mpu-lifecycle-config.html
- https://docs.aws.amazon.com/AmazonS3/latest/API/API_Transition.html
"""

from lakelint.core.check import check, fail
from lakelint.core.reading import existing, known, read
from lakelint.core.values import MISSING, Unresolved, as_list, dig, key_pos_of, show
from lakelint.fixes.intents import append_item, no_fix
from lakelint.knowledge.services import (S3_IA_CLASSES, S3_IA_MIN_DAYS, S3_LIFECYCLE_NEXT, S3_LOG_DELIVERY_ACL,
                                         s3_storage_class)

PATH = "LifecycleConfiguration.Rules"
ABORT_RULE_ID = "abort-incomplete-multipart-uploads"
ABORT_AFTER_DAYS = 7
ADD_ABORT_RULE = append_item(PATH, {"Id": ABORT_RULE_ID, "Status": "Enabled",
                                    "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": ABORT_AFTER_DAYS}},
                             description=f"add lifecycle rule {ABORT_RULE_ID} (abort incomplete multipart uploads "
                                         f"after {ABORT_AFTER_DAYS} days)")


class Unknowable(Exception):
    """A value the rule's validity depends on is only known at deploy time: the rule is not judged,
    and the check reports the value through ``known`` (lakelint/core/reading.py)."""

    def __init__(self, value, container, key):
        super().__init__(value.reason)
        self.value, self.container, self.key = value, container, key


def number(container, key):
    """A day count as an int (CloudFormation also accepts "30"); None when absent."""
    value = container.get(key, MISSING) if isinstance(container, dict) else MISSING
    if value is MISSING or value is None:
        return None
    if isinstance(value, Unresolved):
        raise Unknowable(value, container, key)
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def text(container, key):
    value = container.get(key, MISSING) if isinstance(container, dict) else MISSING
    if isinstance(value, Unresolved):
        raise Unknowable(value, container, key)
    return str(value) if value is not MISSING and value is not None else None


def steps(rule, plural, singular, day_key):
    """[(storage class, days, date, container)] of a rule's transitions of one kind."""
    found = []
    for item in as_list(rule.get(plural, MISSING)) + as_list(rule.get(singular, MISSING)):
        if not isinstance(item, dict):
            continue
        raw_class = item.get("StorageClass")
        if isinstance(raw_class, Unresolved):
            raise Unknowable(raw_class, item, "StorageClass")
        found.append((s3_storage_class(raw_class), number(item, day_key),
                      text(item, "TransitionDate") if day_key == "TransitionInDays" else None, item))
    return found


def transition_problems(found, what):
    """Problems of one list of transitions (current or noncurrent versions)."""
    problems = []
    for storage_class, days, _, item in found:
        if storage_class in S3_IA_CLASSES and days is not None and days < S3_IA_MIN_DAYS:
            problems.append((f"{what} to {storage_class} after {days} days: S3 requires at least {S3_IA_MIN_DAYS}",
                             (item, "TransitionInDays")))
    for key_index in (1, 2):  # by days, then by date
        ordered = sorted((t for t in found if t[key_index] is not None and t[0]), key=lambda t: t[key_index])
        for before, after in zip(ordered, ordered[1:]):
            if after[0] not in S3_LIFECYCLE_NEXT[before[0]]:
                problems.append((f"{what} to {after[0]} comes after {before[0]}: S3 does not transition in that "
                                 "order", (after[3], "StorageClass")))
            elif key_index == 1 and before[0] in S3_IA_CLASSES and after[1] - before[1] < S3_IA_MIN_DAYS:
                problems.append((f"{what} to {after[0]} {after[1] - before[1]} days after {before[0]}: objects must "
                                 f"stay {S3_IA_MIN_DAYS} days in {before[0]} first", (after[3], "TransitionInDays")))
    return problems


def rule_problems(rule):
    """(message, where) for everything S3 rejects or that cannot work in one rule."""
    problems = []
    current = steps(rule, "Transitions", "Transition", "TransitionInDays")
    noncurrent = steps(rule, "NoncurrentVersionTransitions", "NoncurrentVersionTransition", "TransitionInDays")
    problems += transition_problems(current, "transition")
    problems += transition_problems(noncurrent, "noncurrent transition")

    expiration_days = number(rule, "ExpirationInDays")
    expiration_date = text(rule, "ExpirationDate")
    last_days = max((t[1] for t in current if t[1] is not None), default=None)
    last_date = max((t[2] for t in current if t[2] is not None), default=None)
    if expiration_days is not None and last_days is not None and expiration_days <= last_days:
        problems.append((f"expires objects after {expiration_days} days, not after the last transition "
                         f"({last_days} days)", (rule, "ExpirationInDays")))
    if expiration_date and last_date and expiration_date <= last_date:
        problems.append((f"expires objects on {expiration_date}, not after the last transition ({last_date})",
                         (rule, "ExpirationDate")))
    uses_days = expiration_days is not None or any(t[1] is not None for t in current)
    uses_dates = bool(expiration_date) or any(t[2] for t in current)
    if uses_days and uses_dates:
        problems.append(("mixes Days and Date in one rule, which S3 rejects", rule))

    noncurrent_expiration = rule.get("NoncurrentVersionExpiration")
    expire_noncurrent = number(noncurrent_expiration, "NoncurrentDays") if isinstance(noncurrent_expiration, dict) \
        else number(rule, "NoncurrentVersionExpirationInDays")
    last_noncurrent = max((t[1] for t in noncurrent if t[1] is not None), default=None)
    if expire_noncurrent is not None and last_noncurrent is not None and expire_noncurrent <= last_noncurrent:
        where = (noncurrent_expiration, "NoncurrentDays") if isinstance(noncurrent_expiration, dict) else rule
        problems.append((f"expires noncurrent versions after {expire_noncurrent} days, not after their last "
                         f"transition ({last_noncurrent} days)", where))

    if rule.get("AbortIncompleteMultipartUpload") not in (None, MISSING) and rule.get("TagFilters") not in (None, MISSING, []):
        problems.append(("has AbortIncompleteMultipartUpload with TagFilters, which S3 rejects",
                         (rule, "AbortIncompleteMultipartUpload")))
    return problems


def aborts_uploads(rules):
    """True / False, or the unknown Status of a rule that would abort uploads if enabled."""
    pending = None
    for rule in rules:
        if not isinstance(rule, dict):
            continue
        abort = rule.get("AbortIncompleteMultipartUpload")
        if not isinstance(abort, dict) or abort.get("DaysAfterInitiation") in (None, MISSING):
            continue
        status = rule.get("Status", MISSING)
        if status == "Enabled":
            return True
        if isinstance(status, Unresolved):
            pending = pending or status
    return pending if pending is not None else False


def rule_name(rule) -> str:
    return f"lifecycle rule {show(rule['Id'])}" if isinstance(rule.get("Id"), str) else "a lifecycle rule"


@check(code="LL104", name="s3-lifecycle-rules-valid", severity="medium",
       title="S3 lifecycle rule that S3 rejects or that cannot work, or no abort of incomplete uploads",
       resource_types=["AWS::S3::Bucket"], sources=["template", "live"],
       # LoggingConfiguration: other buckets' access-log destinations tell a log bucket (a relation)
       reads={"AWS::S3::Bucket": ["LifecycleConfiguration", "AccessControl", "LoggingConfiguration"]}, fix="safe")
def s3_lifecycle_rules_valid(bucket, ctx):
    for rules in read(bucket, PATH, what="lifecycle rules"):
        rules = as_list(rules)
        for rule in rules:
            if not isinstance(rule, dict):
                continue
            try:
                problems = rule_problems(rule)
            except Unknowable as exc:
                known(exc.value, f"{exc.key} of {rule_name(rule)}", at=(exc.container, exc.key), key=PATH)
                continue
            for message, where in problems:
                yield fail(f"{rule_name(rule)}: {message}", at=where, key=PATH)
        aborts = aborts_uploads(rules)
        if aborts is not True:
            yield from no_abort(bucket, aborts)


def no_abort(bucket, aborts):
    """No enabled rule aborts incomplete uploads: a finding, except on a log bucket (the access-log
    destination of another bucket that exists here, or a bucket with the LogDeliveryWrite ACL)."""
    for sources in existing(bucket.related("access_log_sources"), within=bucket):
        if sources:
            continue
        for acl in read(bucket, "AccessControl", presence=True):
            if acl == S3_LOG_DELIVERY_ACL:
                continue
            if aborts is not False:
                known(aborts, "the Status of the rule that aborts incomplete multipart uploads", key=PATH)
            elif known(acl, "AccessControl (log buckets need not abort incomplete uploads)", key=PATH) is not None:
                where = key_pos_of(bucket.props, "LifecycleConfiguration") if "LifecycleConfiguration" in bucket.props \
                    else None
                yield fail("no enabled lifecycle rule aborts incomplete multipart uploads "
                           "(AbortIncompleteMultipartUpload): their parts are kept and billed forever", at=where,
                           key=PATH, fix=_abort_rule(bucket))


def _abort_rule(bucket):
    """A rule that aborts incomplete uploads after 7 days, added to the rules the template writes;
    none when a rule of the template already has its Id (rule Ids are unique in a bucket)."""
    written = dig(bucket.props, *PATH.split("."))
    if any(isinstance(rule, dict) and rule.get("Id") == ABORT_RULE_ID for rule in as_list(written)):
        return no_fix(f"a lifecycle rule {ABORT_RULE_ID} is there already, and it does not abort uploads: "
                      "fix that rule by hand")
    return ADD_ABORT_RULE
