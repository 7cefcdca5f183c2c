"""The organisation's accounts and where they sit: ``organizations:ListAccounts`` and the OU tree.

``lakelint --live --org`` asks AWS Organizations, from the management account or a delegated
administrator, for every account (``ListAccounts``, paginated), with its name and state. Where each
account sits (its organisational unit path, ``Root/Workloads/Prod``) comes from walking the OU tree
from the root (``ListRoots``, then ``ListOrganizationalUnitsForParent`` and ``ListAccountsForParent``
per OU, paginated): two calls per OU, not one per account, so an organisation of 500 accounts in 30
OUs costs about 60 calls. The path is what ``per-account-ignores`` matches and what reports show; when
the walk is denied the accounts are still listed (and scanned), their paths unknown, and a note says
why.

These calls are made only by the scanning principal's session (catalog.ORGANIZATION_CALLS), never in
a scanned account.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lakelint.sources.live.catalog import LIST_ACCOUNTS, LIST_ACCOUNTS_FOR_PARENT, LIST_OUS_FOR_PARENT, LIST_ROOTS
from lakelint.sources.live.faults import Fault

ACTIVE = "ACTIVE"
PAGE_SIZE = 20  # the most ListAccounts answers per page
MAX_OUS = 10_000  # AWS allows 2,000 OUs and five levels; a tree that keeps growing is a broken answer


@dataclass(frozen=True)
class OrgAccount:
    """One account a run may scan. Named by the user (``--accounts``) it has only its id; listed by
    Organizations it has its name, its state and, when the OU tree could be read, its OU path."""

    id: str
    name: str | None = None
    state: str = ACTIVE  # ListAccounts' State (or the older Status): ACTIVE, SUSPENDED, PENDING_CLOSURE, ...
    ou_path: str | None = None  # "Root/Workloads/Prod": the OU names from the root down
    ou_ids: tuple = ()  # the ids of the root and of every OU above the account ("r-ab12", "ou-ab12-cd34ef56")

    @property
    def active(self) -> bool:
        return self.state == ACTIVE

    @property
    def label(self) -> str:
        """``111122223333 (analytics)``, or the id alone when Organizations gave no name."""
        return f"{self.id} ({self.name})" if self.name else self.id


@dataclass
class Organization:
    accounts: list = field(default_factory=list)  # OrgAccount, in ListAccounts' order
    notes: list = field(default_factory=list)  # what could not be read, said on stderr


def list_organization(session) -> Organization:
    """Every account of the organisation (``Fault`` when the listing itself fails), with OU paths."""
    listed = []
    for page in session.pages(LIST_ACCOUNTS, PaginationConfig={"PageSize": PAGE_SIZE}):
        for account in page.get("Accounts") or []:
            state = str(account.get("State") or account.get("Status") or ACTIVE).upper()
            listed.append((str(account["Id"]), account.get("Name") or None, state))
    found = Organization()
    try:
        places = ou_places(session)
    except Fault as fault:
        places = {}
        found.notes.append(f"the accounts' OU paths are unknown (per-account-ignores by OU path do not apply): "
                           f"could not read the OU tree: {fault.detail}")
    for account_id, name, state in listed:
        path, ids = places.get(account_id, (None, ()))
        found.accounts.append(OrgAccount(account_id, name, state, path, ids))
    return found


def ou_places(session) -> dict:
    """{account id: (OU path, OU ids from the root down)}, walking the tree breadth first."""
    places = {}
    queue = []
    for page in session.pages(LIST_ROOTS):
        for root in page.get("Roots") or []:
            queue.append((root["Id"], root.get("Name") or "Root", (root["Id"],)))
    seen = 0
    while queue:
        parent, path, ids = queue.pop(0)
        seen += 1
        if seen > MAX_OUS:
            raise Fault(LIST_OUS_FOR_PARENT, "error", f"the OU tree has more than {MAX_OUS} units")
        for page in session.pages(LIST_ACCOUNTS_FOR_PARENT, ParentId=parent):
            for account in page.get("Accounts") or []:
                places[str(account["Id"])] = (path, ids)
        for page in session.pages(LIST_OUS_FOR_PARENT, ParentId=parent):
            for unit in page.get("OrganizationalUnits") or []:
                queue.append((unit["Id"], f"{path}/{unit.get('Name') or unit['Id']}", ids + (unit["Id"],)))
    return places
