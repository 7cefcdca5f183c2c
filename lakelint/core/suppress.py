"""Suppressions: reasoned, dated exceptions written next to the code they excuse.

Two layers, merged: a resource's ``Metadata.lakelint.ignore`` entries (``id``, ``reason``, optional
``until``), and line comments ``# lakelint: ignore[LL101]: reason until=2027-06-30`` (the expiry is
optional) on the offending line or on the resource's first line. A suppression only works with a
reason and before its expiry date; one that is reasonless, expired, malformed (an ``ignore:`` written
as a mapping, a comment without its brackets or colon), names an unknown check, or matches nothing is
reported by LL001 so that exceptions do not outlive their purpose.

Only a YAML comment is a comment: text that looks like one inside a string value
(``Description: "# lakelint: ignore[LL101]: x"``, a block scalar, a JSON string) suppresses nothing.
Telling the two apart takes the YAML scanner's token positions (a ``#`` inside a scalar token is
text), so the scan runs only for files that hold a candidate line, which few do.
"""

from __future__ import annotations

import datetime as _dt
import re

from lakelint.core.records import FrozenRecord, Record, init_field
from lakelint.core.values import key_pos_of, pos_of

# a candidate comment: "# lakelint: ignore", then what follows it on the line is judged by _comment
CANDIDATE = re.compile(r"#[ \t]*lakelint[ \t]*:[ \t]*ignore\b")
CODES = re.compile(r"^\[([^\]]*)\](.*)$")
UNTIL = re.compile(r"(?:^|\s)until=(\S*)\s*$")


class Suppression(Record):
    """One suppression (Metadata or comment): the codes it names, why, and where it is written. A plain
    class, not a dataclass: see lakelint/core/records.py."""

    __slots__ = _fields = ("codes", "reason", "file", "line", "column", "kind", "resource", "until", "problem",
                           "matched")

    def __init__(self, codes: list, reason: str | None, file: str | None, line: int | None, column: int | None,
                 kind: str, resource: str | None = None, until: _dt.date | None = None, problem: str | None = None,
                 matched: set | None = None):
        self.codes = codes  # check codes (names already mapped to codes; unknown ones kept as written)
        self.reason, self.file, self.line, self.column = reason, file, line, column
        self.kind = kind  # "metadata" or "comment"
        self.resource = resource  # metadata: the resource it belongs to
        self.until = until
        self.problem = problem  # why it does not apply: no reason, expired, unknown check
        self.matched = set() if matched is None else matched  # codes it suppressed at least once

    @property
    def active(self) -> bool:
        return self.problem is None


def _until(value):
    if value is None or value == "":
        return None, None
    if isinstance(value, _dt.datetime):
        return value.date(), None
    if isinstance(value, _dt.date):
        return value, None
    try:
        return _dt.date.fromisoformat(str(value)), None
    except ValueError:
        return None, f"has an 'until' that is not a date (YYYY-MM-DD): {value!r}"


def _judge(sup: Suppression, today: _dt.date, resolve_code) -> Suppression:
    codes = []
    for written in sup.codes:
        code = resolve_code(written)
        if code is None:
            sup.problem = sup.problem or f"names unknown check {written}"
            codes.append(written)
        else:
            codes.append(code)
    sup.codes = codes
    if not sup.codes:
        sup.problem = sup.problem or "names no check"
    if not (sup.reason or "").strip():
        sup.problem = sup.problem or "has no reason"
    if sup.until is not None and sup.until < today:
        sup.problem = sup.problem or f"expired on {sup.until.isoformat()}"
    return sup


def collect(stack, today: _dt.date, resolve_code) -> list:
    """Every suppression written in one template."""
    found = [_judge(sup, today, resolve_code) for sup in _metadata_suppressions(stack)]
    found += [_judge(sup, today, resolve_code) for sup in _comment_suppressions(stack)]
    return found


def _metadata_suppressions(stack):
    for resource in stack.resources:
        meta = resource.metadata
        if not isinstance(meta, dict) or "lakelint" not in meta:
            continue
        ours = meta["lakelint"]
        if not isinstance(ours, dict):
            yield _malformed(stack, resource, pos_of(meta, "lakelint"), [],
                             "is not a mapping (write Metadata: lakelint: ignore: - id: CODE, reason: ...)")
            continue
        stray = sorted(str(key) for key in ours if key != "ignore")
        if stray:  # a misspelt "ignore" must not leave a finding unexplained
            yield _malformed(stack, resource, key_pos_of(ours, stray[0]), [],
                             f"has unknown key {stray[0]} under Metadata.lakelint (only ignore is read)")
        if "ignore" not in ours:
            continue
        entries = ours["ignore"]
        if isinstance(entries, dict):  # one entry written without its "- "
            codes = [str(entries["id"])] if entries.get("id") else []
            yield _malformed(stack, resource, key_pos_of(ours, "ignore"), codes,
                             "is a mapping where a list belongs (write each entry under ignore: as '- id: CODE')")
            continue
        if not isinstance(entries, list):
            yield _malformed(stack, resource, key_pos_of(ours, "ignore"), [],
                             "is not a list (write ignore: - id: CODE, reason: ...)")
            continue
        for index, entry in enumerate(entries):
            line, column = pos_of(entries, index) or resource.pos or (None, None)
            if isinstance(entry, str):
                yield Suppression([entry], None, stack.file, line, column, "metadata", resource.name)
            elif isinstance(entry, dict):
                until, bad = _until(entry.get("until"))
                reason = entry.get("reason")
                yield Suppression([str(entry.get("id", ""))] if entry.get("id") else [],
                                  str(reason) if reason is not None else None,
                                  stack.file, line, column, "metadata", resource.name, until, bad)
            else:
                yield _malformed(stack, resource, (line, column), [],
                                 f"is neither a check nor a mapping with id and reason: {entry!r}")


def _malformed(stack, resource, pos, codes, problem) -> Suppression:
    line, column = pos or resource.pos or (None, None)
    return Suppression(codes, None, stack.file, line, column, "metadata", resource.name, problem=problem)


def _comment_suppressions(stack):
    lines = stack.text_lines or ()
    candidates = set()  # (line number, 0-based column of the "#")
    for number, text in enumerate(lines, start=1):
        if "lakelint" in text:
            candidates.update((number, match.start()) for match in CANDIDATE.finditer(text))
    if not candidates:
        return
    first_on_line = {}
    for number, column in sorted(comments(lines, candidates)):
        first_on_line.setdefault(number, column)  # the comment runs to the end of the line
    for number, column in sorted(first_on_line.items()):
        tail = CANDIDATE.sub("", lines[number - 1][column:], count=1)
        yield _comment(tail, stack.file, number, column + 1)


def _comment(tail: str, file, line: int, column: int) -> Suppression:
    """One ``# lakelint: ignore...`` comment: ``tail`` is what follows ``ignore``."""
    bracketed = CODES.match(tail.strip())
    if not bracketed:
        return Suppression([], None, file, line, column, "comment",
                           problem="names no check in brackets (write # lakelint: ignore[CODE]: reason)")
    codes = [c.strip() for c in bracketed.group(1).split(",") if c.strip()]
    rest = bracketed.group(2).strip()
    if rest and not rest.startswith(":"):
        return Suppression(codes, None, file, line, column, "comment",
                           problem="needs a colon before its reason (write ignore[CODE]: reason)")
    reason = rest[1:].strip()
    until, bad = None, None
    dated = UNTIL.search(reason)
    if dated:
        until, bad = _until(dated.group(1))
        if bad:
            bad = bad.replace("an 'until'", "an until=")
        reason = reason[:dated.start()].strip()
    return Suppression(codes, reason or None, file, line, column, "comment", until=until, problem=bad)


def comments(lines, candidates: set) -> set:
    """Of ``candidates`` ((line number, 0-based column) of a ``#``), those where the ``#`` starts a YAML
    comment rather than standing inside a scalar (a quoted string, a block scalar, a JSON string).

    Comments are the one thing the scanner does not turn into tokens, so a ``#`` that no scalar token
    covers is a comment. A file the scanner cannot read (it parsed, so this does not happen) yields no
    comments: a suppression lakelint cannot place does not apply, and the finding stays.
    """
    import yaml

    try:
        from yaml import CSafeLoader as Loader
    except ImportError:  # pragma: no cover
        from yaml import SafeLoader as Loader

    remaining = {(number - 1, column) for number, column in candidates}  # 0-based lines, as marks are
    last = max(line for line, _ in remaining)
    try:
        for token in yaml.scan("\n".join(lines), Loader=Loader):
            start = token.start_mark
            if start.line > last:  # later tokens cannot cover a candidate
                break
            if isinstance(token, yaml.ScalarToken):
                end = token.end_mark
                remaining -= {at for at in remaining if (start.line, start.column) <= at < (end.line, end.column)}
    except yaml.YAMLError:
        return set()
    return {(line + 1, column) for line, column in remaining}


def apply(findings, suppressions, resource_lines: dict) -> None:
    """Mark findings suppressed by an active suppression. ``resource_lines`` maps each resource name
    to its first line, so a comment there covers the whole resource."""
    for finding in findings:
        if finding.suppressed:
            continue
        for sup in suppressions:
            if not sup.active or finding.check not in sup.codes:
                continue
            if sup.kind == "metadata":
                hit = sup.resource == finding.resource
            else:
                hit = sup.line == finding.line or sup.line == resource_lines.get(finding.resource)
            if hit:
                finding.suppressed = True
                finding.suppression_reason = sup.reason
                sup.matched.add(finding.check)
                break


# -- per-account-ignores: live exceptions by account or organisational unit ---------------------------


class AccountIgnore(FrozenRecord):
    """One ``per-account-ignores`` entry: ``where`` is a 12-digit account id, an OU id (``ou-...``, or a
    root ``r-...``) or an OU path (``Root/Sandbox``, globs allowed, covering every OU below it). A plain
    class, not a dataclass: see lakelint/core/records.py."""

    __slots__ = _fields = ("where", "codes", "reason", "until")

    def __init__(self, where: str, codes: tuple, reason: str, until: _dt.date | None = None):
        init_field(self, "where", where)
        init_field(self, "codes", codes)  # codes, prefixes or names, as written; resolved against the loaded checks
        init_field(self, "reason", reason)
        init_field(self, "until", until)

    def covers(self, account: str | None, ou_path: str | None = None, ou_ids=()) -> bool:
        if self.where.isdigit():
            return account == self.where
        if self.where.startswith(("ou-", "r-")):
            return self.where in tuple(ou_ids or ())
        if not ou_path:
            return False
        import fnmatch

        path, pattern = ou_path.strip("/"), self.where.strip("/")
        return (path == pattern or path.startswith(pattern + "/")
                or fnmatch.fnmatchcase(path, pattern) or fnmatch.fnmatchcase(path, pattern + "/*"))


def parse_account_ignores(value) -> dict:
    """``per-account-ignores``: ``{account id or OU: {checks: [...], reason: "...", until: date}}``.
    Raises ``options.InvalidValue`` (the message completes "must be ...")."""
    from lakelint.core.options import InvalidValue

    shape = ("a mapping of account ids (quoted), OU ids or OU paths to {checks: [codes], reason: why, "
             "until: YYYY-MM-DD (optional)}")
    if not isinstance(value, dict):
        raise InvalidValue(shape)
    parsed = {}
    for key, entry in value.items():
        where = _account_key(key)
        if where is None or not isinstance(entry, dict) or set(entry) - {"checks", "reason", "until"}:
            raise InvalidValue(shape)
        codes = entry.get("checks")
        if isinstance(codes, str):
            codes = [c.strip() for c in codes.split(",") if c.strip()]
        if not isinstance(codes, list) or not codes or not all(isinstance(c, str) and c.strip() for c in codes):
            raise InvalidValue(f"{shape}; the entry for {where} names no checks")
        reason = entry.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise InvalidValue(f"{shape}; the entry for {where} has no reason (every exception needs one)")
        until, bad = _until(entry.get("until"))
        if bad:
            raise InvalidValue(f"{shape}; the entry for {where} {bad}")
        parsed[where] = AccountIgnore(where, tuple(c.strip() for c in codes), reason.strip(), until)
    return parsed


def _account_key(key) -> str | None:
    """An entry's key as a string: an unquoted account id reaches here as a number."""
    if isinstance(key, bool):
        return None
    if isinstance(key, int):
        text = str(key)
        return text if len(text) == 12 else None  # a leading zero was lost, or it is no account id
    if not isinstance(key, str) or not key.strip():
        return None
    key = key.strip()
    if key.isdigit() and len(key) != 12:
        return None
    return key


def apply_account_ignores(findings, ignores: dict, resolve, today: _dt.date, account: str | None,
                          ou_path: str | None = None, ou_ids=()) -> None:
    """Mark the findings of one account suppressed where an entry covering it names their check.
    ``resolve(codes)`` turns what an entry names (codes, prefixes, names) into a set of codes."""
    if not ignores:
        return
    applying = [(entry, resolve(entry.codes)) for entry in ignores.values()
                if (entry.until is None or entry.until >= today) and entry.covers(account, ou_path, ou_ids)]
    if not applying:
        return
    for finding in findings:
        if finding.suppressed:
            continue
        for entry, codes in applying:
            if finding.check in codes:
                finding.suppressed = True
                finding.suppression_reason = entry.reason
                break
