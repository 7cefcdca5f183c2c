"""The report of a multi-account run (``--org``, ``--accounts``, ``lakelint merge``), and the order in it.

Memory must not grow with the number of accounts, so an organisation run keeps no account's
inventory past its judgement and no account's findings in memory: each account's findings go to a
``FindingSpool``, a temporary file read back, account by account, whenever a reporter walks the
findings. What stays in memory per account is one ``AccountStatus`` (a few hundred bytes) and its
error entries.

One order serves the run and ``lakelint merge``, so that merging the reports of N shards gives, byte
for byte, the report of one run over every account: findings by account, then as the engine sorts them
(``Finding.sort_key``), ties broken by what is left of the finding (``finding_order``); errors of the
run first, then by account. Identical findings (a VPC endpoint shared into two accounts is seen from
both) are reported once, in a run as in a merge.
"""

from __future__ import annotations

import json
import pickle
import tempfile
from dataclasses import dataclass, field

from lakelint.core.model import Report


def finding_order(finding) -> tuple:
    return ((finding.account or "",) + finding.sort_key()
            + (finding.arn or "", finding.severity or "", finding.verdict or "", finding.resource_type or "",
               finding.condition or "", bool(finding.suppressed), finding.suppression_reason or ""))


def error_order(error) -> tuple:
    return ((getattr(error, "account", None) or "",) + error.sort_key()
            + (error.check or "", error.resource or "", error.api_call or "", error.iam_action or ""))


def identity(item) -> str:
    """What makes two findings (or two errors) the same one: every key of their JSON."""
    return json.dumps(item.to_dict(), sort_keys=True, default=str)


def unique(items) -> list:
    seen, kept = set(), []
    for item in items:
        key = identity(item)
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept


def ordered_errors(errors) -> list:
    return sorted(unique(errors), key=error_order)


@dataclass
class AccountStatus:
    """One account of the run: who it is, whether it was scanned, and how much it holds."""

    account: str
    name: str | None = None
    ou_path: str | None = None
    state: str | None = None  # what Organizations says (ACTIVE, SUSPENDED, ...); None when not asked
    scanned: bool = False  # False: not judged at all (its error entry says why)
    resources: int = 0
    regions: list = field(default_factory=list)
    calls: int = 0  # API calls made in the account (the scanning principal's AssumeRole not included)

    def to_dict(self) -> dict:
        return {"account": self.account, "account_name": self.name, "ou_path": self.ou_path, "state": self.state,
                "scanned": self.scanned, "resources": self.resources, "regions": list(self.regions)}

    @classmethod
    def from_dict(cls, data: dict) -> "AccountStatus":
        return cls(str(data["account"]), data.get("account_name"), data.get("ou_path"), data.get("state"),
                   bool(data.get("scanned")), int(data.get("resources") or 0), list(data.get("regions") or []))


class FindingSpool:
    """Findings kept in a temporary file, grouped by account, read back in ``finding_order``.

    ``add`` writes one account's findings as one pickled chunk (by the account each finding names);
    iterating reads one account's chunks at a time. It can be iterated any number of times."""

    def __init__(self):
        self._file = tempfile.TemporaryFile(prefix="lakelint-findings-")
        self._chunks = {}  # account -> [(offset, length)]
        self.added = 0
        self.drop_unverifiable = False  # unverifiable: ignore (left out when read, counted by OrgReport)

    def add(self, findings) -> None:
        by_account = {}
        for finding in findings:
            by_account.setdefault(finding.account or "", []).append(finding)
        for account, group in by_account.items():
            data = pickle.dumps(group, protocol=pickle.HIGHEST_PROTOCOL)
            offset = self._file.seek(0, 2)
            self._file.write(data)
            self._chunks.setdefault(account, []).append((offset, len(data)))
            self.added += len(group)

    def __iter__(self):
        for finding in self._read():
            if not (self.drop_unverifiable and finding.verdict == "unverifiable"):
                yield finding

    def _read(self):
        for account in sorted(self._chunks):
            chunks = self._chunks[account]
            group = []
            for offset, length in chunks:
                self._file.seek(offset)
                group += pickle.loads(self._file.read(length))
            if len(chunks) > 1:  # seen from several scanned accounts: report each finding once
                group = unique(group)
            group.sort(key=finding_order)
            yield from group

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __bool__(self) -> bool:
        return self.added > 0

    def close(self) -> None:
        self._file.close()


class _Active:
    """The findings that are not suppressed, read from ``findings`` whenever walked."""

    def __init__(self, findings):
        self.findings = findings

    def __iter__(self):
        return (f for f in self.findings if not f.suppressed)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __bool__(self) -> bool:
        return any(True for _ in self)


class OrgReport(Report):
    """A ``Report`` whose findings may be a ``FindingSpool``, with the run's accounts (reporters group
    by account when ``accounts`` is there; JSON lists them, which is what ``lakelint merge`` reads)."""

    __slots__ = ("accounts",)
    _fields = Report._fields + ("accounts",)

    def __init__(self, *args, accounts: list | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.accounts = [] if accounts is None else accounts  # AccountStatus, sorted by account id

    @property
    def active_findings(self):
        if isinstance(self.findings, list):
            return [f for f in self.findings if not f.suppressed]
        return _Active(self.findings)

    def ignore_unverifiable(self) -> None:
        if isinstance(self.findings, list):
            super().ignore_unverifiable()
            return
        self.unverifiable_ignored += sum(1 for f in self.findings if f.verdict == "unverifiable")
        self.findings.drop_unverifiable = True

    def summary(self) -> dict:
        data = super().summary()
        data["accounts"] = sum(1 for a in self.accounts if a.scanned)
        return data
