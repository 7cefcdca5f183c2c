"""How the plain-text formats (JUnit, GitHub annotations, GitLab Code Quality) name the account a live
finding is about: its id, and where AWS Organizations gave them its name and OU path, so that a
reviewer reading one line of a CI log knows whose account it is without the JSON report."""

from __future__ import annotations


def account_words(finding) -> str | None:
    """``111122223333 (lake-prod, Root/Prod)``; the id alone without Organizations; None for a finding
    that is not about an account (templates)."""
    account = getattr(finding, "account", None)
    if not account:
        return None
    known = [w for w in (getattr(finding, "account_name", None), getattr(finding, "ou_path", None)) if w]
    return f"{account} ({', '.join(known)})" if known else account
