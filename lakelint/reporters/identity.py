"""What makes two findings the same finding from one run to the next: the fingerprint SARIF
(``partialFingerprints``) and GitLab Code Quality (``fingerprint``) carry, so code scanning and merge
requests keep tracking an issue when lines above it move.

It is the check, where (the file; live: the ARN, account and region), the resource and the property
path the check named, plus the branch label when the finding holds on one branch only. A finding
without a property path falls back to its message. The line number is never part of it.
"""

from __future__ import annotations

import hashlib


def identity(finding) -> str:
    where = finding.file if finding.file else "|".join(
        p or "" for p in (finding.arn, finding.account, finding.region))
    detail = finding.fingerprint_key if finding.fingerprint_key else f"message:{finding.message}"
    parts = (finding.check, where or "", finding.resource or "", detail, finding.condition or "")
    return "\x1f".join(parts)


def fingerprint(finding) -> str:
    """A SHA-256 of the identity, as 64 hex digits."""
    return _digest(identity(finding))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def unique_fingerprints(findings) -> list:
    """One fingerprint per finding, distinct within the list: findings that share an identity (the
    same property failing on two branches that carry no label) get an ordinal, in report order, so
    none is merged into another by a consumer that keys on fingerprints."""
    seen = {}
    prints = []
    for finding in findings:
        base = identity(finding)
        seen[base] = seen.get(base, 0) + 1
        text = base if seen[base] == 1 else f"{base}\x1f#{seen[base]}"
        prints.append(_digest(text))
    return prints
