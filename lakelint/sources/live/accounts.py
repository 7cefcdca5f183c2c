"""Which accounts a multi-account run scans: named ones, exclusions, and this machine's shard.

- ``--accounts ID,...`` and ``--accounts-file FILE`` name accounts (12-digit ids; the file holds ids
  separated by commas, spaces or lines, ``#`` starts a comment). With ``--org`` they narrow the
  organisation's list to those ids; without it they are the list.
- ``--exclude-accounts ID,...`` leaves accounts out, whatever listed them.
- ``--shard K/N`` keeps the accounts whose id hashes to shard K of N. The hash (SHA-256 of the id)
  depends on nothing but the id, so every machine of a CI matrix or an AWS Batch array, listing the
  organisation on its own, in whatever order the API answers, takes a disjoint share, and the N shares
  cover every account exactly once.

Anything malformed is a ``ConfigError`` (a usage error, exit code 2) naming what was wrong.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from lakelint.core.config import ConfigError

ACCOUNT_ID = re.compile(r"^[0-9]{12}$")
SHARD = re.compile(r"^\s*([0-9]+)\s*/\s*([0-9]+)\s*$")
_SEPARATORS = re.compile(r"[\s,]+")
MAX_FILE_SIZE = 1024 * 1024  # a list of accounts, not a data file


def account_ids(values, where: str) -> list:
    """Distinct 12-digit ids from ``values`` (strings that may hold several, comma-separated), in order."""
    found = []
    for value in values or []:
        for token in _SEPARATORS.split(str(value)):
            if not token:
                continue
            if not ACCOUNT_ID.match(token):
                raise ConfigError(f"{where}: {token!r} is not an AWS account id (12 digits)")
            found.append(token)
    return list(dict.fromkeys(found))


def read_accounts_file(path: str) -> list:
    """The ids in ``--accounts-file``: separated by commas, spaces or lines; ``#`` starts a comment."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_SIZE + 1)
    except OSError as exc:
        raise ConfigError(f"--accounts-file {path}: cannot read it: {exc.strerror or exc}") from None
    if len(raw) > MAX_FILE_SIZE:
        raise ConfigError(f"--accounts-file {path}: larger than {MAX_FILE_SIZE} bytes; is it a list of account ids?")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(f"--accounts-file {path}: not UTF-8 text") from None
    lines = [line.split("#", 1)[0] for line in text.splitlines()]
    ids = account_ids(lines, f"--accounts-file {path}")
    if not ids:
        raise ConfigError(f"--accounts-file {path}: names no account")
    return ids


@dataclass(frozen=True)
class Shard:
    """Shard ``index`` (1-based) of ``count``."""

    index: int
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def holds(self, account_id: str) -> bool:
        return shard_of(account_id, self.count) == self.index


def parse_shard(text: str) -> Shard:
    match = SHARD.match(str(text))
    if not match:
        raise ConfigError(f"--shard {text!r}: expected K/N, such as 1/4 (shard K of N)")
    index, count = int(match.group(1)), int(match.group(2))
    if count < 1 or not 1 <= index <= count:
        raise ConfigError(f"--shard {text!r}: K must be between 1 and N, and N at least 1")
    return Shard(index, count)


def shard_of(account_id: str, count: int) -> int:
    """The shard (1-based, of ``count``) that scans ``account_id``: a hash of the id alone."""
    digest = hashlib.sha256(account_id.encode("ascii")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def select(accounts, named=None, excluded=(), shard: Shard | None = None):
    """``accounts`` (OrgAccount) narrowed to ``named`` ids (when given), without ``excluded`` ones, and
    to ``shard``. Returns (kept, named ids that are not among ``accounts``)."""
    by_id = {a.id: a for a in accounts}
    missing = []
    if named is not None:
        missing = [i for i in named if i not in by_id]
        wanted = set(named)
        accounts = [a for a in accounts if a.id in wanted]
    excluded = set(excluded or ())
    kept = [a for a in accounts if a.id not in excluded and (shard is None or shard.holds(a.id))]
    missing = [i for i in missing if i not in excluded and (shard is None or shard.holds(i))]
    return kept, missing
