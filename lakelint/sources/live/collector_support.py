"""Small helpers the catalog collectors (Glue, Athena, Lake Formation) share.

- ``account_id(session)``: the scanned account, read once per session. Those APIs do not return the
  ARNs of what they list, so the collectors build them (``arn:aws:glue:REGION:ACCOUNT:table/db/t``),
  and findings need an ARN.
- ``token_pages(session, call, region, **params)``: every page of a call that botocore has no
  paginator for (Lake Formation's ListPermissions and ListResources, Athena's ListWorkGroups), by
  following ``NextToken`` until the service stops returning one.
"""

from __future__ import annotations

import threading
import weakref

from lakelint.sources.live import catalog

_ACCOUNTS = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()
MAX_PAGES = 10_000  # a service that keeps answering the same token must not hang the scan


def account_id(session) -> str:
    """The account behind the session's credentials (raises ``Fault`` when it cannot be read)."""
    with _LOCK:
        known = _ACCOUNTS.get(session)
    if known is None:
        known = session.read(catalog.GET_CALLER_IDENTITY)["Account"]
        with _LOCK:
            _ACCOUNTS[session] = known
    return known


def token_pages(session, call, region, **params):
    """Pages of ``call``, following ``NextToken``; a failed page raises ``Fault`` like ``session.pages``."""
    token = None
    for _ in range(MAX_PAGES):
        page = session.read(call, region, **params, **({"NextToken": token} if token else {})) or {}
        yield page
        following = page.get("NextToken")
        if not following or following == token:
            return
        token = following
