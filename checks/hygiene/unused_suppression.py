"""A suppression that matched nothing, has no reason, names an unknown check, or has expired.

## What it does
Looks at every suppression of the run: `Metadata.lakelint.ignore` entries and
`# lakelint: ignore[...]` comments. It reports one that has no reason (a reason is required), whose
`until` date has passed, that names a check lakelint does not know, or that suppressed no finding.
Such a suppression does not suppress anything. Suppressions of checks that did not run on the file
(deselected or ignored) are not reported as unused. With `--baseline FILE`, it also reports each
baseline entry that matched no finding (the problem it recorded is fixed), at the entry's line in
the baseline file.

**When the property is absent:** not applicable; this check reads lakelint's own suppressions.

## Why it matters
Exceptions are decisions, and decisions go stale: the bucket was fixed, the dataset stopped being
public, the migration finished. A suppression that outlives its reason hides the next real problem on
the same resource. Requiring a reason and an optional expiry keeps every exception auditable.

## Example
```yaml
RawBucket:
  Type: AWS::S3::Bucket
  Metadata:
    lakelint:
      ignore:
        - id: LL103                  # LL001: no reason
```

## Fix
Give the suppression a reason (and, for a temporary exception, a date), or delete it:
```yaml
RawBucket:
  Type: AWS::S3::Bucket
  Metadata:
    lakelint:
      ignore:
        - id: LL103
          reason: objects are removed by the nightly compaction job
          until: 2027-06-30
```
On the command line, list what is suppressed and why:
```sh
lakelint templates/ --format json | python -c "import json,sys; [print(f['check'], f['resource'], f['suppression_reason']) for f in json.load(sys.stdin)['findings'] if f['suppressed']]"
```

## References
- https://docs.astral.sh/ruff/rules/unused-noqa/
- DESIGN.md section 6 (lakelint configuration and suppressions)
"""

from lakelint.core.check import check, fail


def _stale_entry(entry):
    """A baseline entry that matched no finding (``lakelint.runs.baseline.StaleEntry``)."""
    what = entry.check + (f" on {entry.resource}" if entry.resource else "") + (f" in {entry.file}" if entry.file else "")
    times = f" ({entry.count} findings)" if entry.count > 1 else ""
    message = (f"baseline entry for {what}{times} matched no finding: the problem is fixed, so drop the "
               f"entry (--baseline FILE --write-baseline FILE) and a return of it counts as new")
    return fail(message, at=(entry.line, 1) if entry.line else None, resource=entry.subject,
                key=f"baseline:{entry.check}:{entry.file}:{entry.resource}:{entry.key}")


@check(code="LL001", name="unused-suppression", severity="low",
       title="Suppression that is unused, reasonless, unknown or expired",
       scope="suppressions", sources=["template"], reads={})  # suppressions, no resource property
def unused_suppression(suppressions, ctx):
    """``suppressions``: the run's suppression records of one file, or the stale entries of a baseline."""
    for sup in suppressions:
        if getattr(sup, "kind", None) == "baseline":
            yield _stale_entry(sup)
            continue
        where = (sup.line, sup.column) if sup.line else None
        label = ", ".join(sup.codes) or "(nothing)"
        if sup.problem:
            yield fail(f"suppression of {label} {sup.problem}, so it suppresses nothing", at=where, key=label)
            continue
        unused = [c for c in sup.codes if c not in sup.matched and ctx.ran(c, sup.file)]
        if unused:
            yield fail(f"suppression of {', '.join(unused)} matched no finding", at=where, key=label)
