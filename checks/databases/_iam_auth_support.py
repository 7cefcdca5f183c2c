"""Where IAM database authentication exists: the engines, versions and instance classes AWS documents.

LL507 asks for IAM database authentication only where a database can have it. This module is the one
place that knows where that is, from AWS's own pages, read on 2026-12-07:

- RDS, "Supported Regions and DB engines for IAM database authentication in Amazon RDS"
  (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.RDS_Fea_Regions_DB-eng.Feature.IamDatabaseAuthentication.html):
  not available with RDS for Db2, Oracle or SQL Server; RDS for MariaDB 10.11, 11.4 and 11.8 have it,
  10.4, 10.5 and 10.6 do not; RDS for MySQL and PostgreSQL have it in every version.
- Aurora, "Supported Regions and Aurora DB engines for IAM database authentication"
  (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.IAMdbauth.html):
  every version of Aurora MySQL 2 and 3 and of Aurora PostgreSQL 11 to 17.
- Aurora, "IAM database authentication"
  (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/UsingWithRDS.IAMDBAuth.html): for Aurora
  MySQL every instance class has it except db.t2.small and db.t3.small.

RDS Custom (engines ``custom-oracle-...``, ``custom-sqlserver-...``) has no IAM database authentication
either. The RDS page also lists Regions where a MariaDB version lacks it; a template does not say its
Region, so Regions are not modelled here.

``supports`` answers True (the table says it exists), False (the table says it does not) or None (the
table cannot decide: the engine, version or class is not known text). Update the table, its date and
the fixtures of LL507 together when AWS's pages change.
"""

from __future__ import annotations

import re

from lakelint.core.values import Unresolved

# engines (as CloudFormation's ``Engine`` names them, lowered) that never have it, by prefix
ENGINES_WITHOUT = ("oracle", "sqlserver", "db2", "custom-")
# engine -> the first (major, minor) version that has it; earlier versions do not
FIRST_VERSION = {"mariadb": (10, 11)}
# engine -> instance classes that do not have it
CLASSES_WITHOUT = {
    "aurora-mysql": frozenset({"db.t2.small", "db.t3.small"}),
    "aurora": frozenset({"db.t2.small", "db.t3.small"}),  # Aurora MySQL 1 (MySQL 5.6-compatible)
}

_VERSION = re.compile(r"^\s*(\d+)(?:\.(\d+))?")


def supports(engine, version=None, instance_class=None):
    """Whether a database of ``engine`` (at ``version``, on ``instance_class``) can have IAM database
    authentication: True, False, or None when the table cannot decide. A version or class left out
    (None) is not judged: an absent ``EngineVersion`` is AWS's default version, which has it."""
    engine = _word(engine)
    if engine is None:
        return None
    if engine.startswith(ENGINES_WITHOUT):
        return False
    decided = True
    if engine in FIRST_VERSION and version is not None:
        verdict = _version_at_least(version, FIRST_VERSION[engine])
        if verdict is False:
            return False
        decided = decided and verdict is True
    if engine in CLASSES_WITHOUT and instance_class is not None:
        name = _word(instance_class)
        if name in CLASSES_WITHOUT[engine]:
            return False
        decided = decided and name is not None
    return True if decided else None


def engine_has_classes_without(engine) -> bool:
    """Whether the instance class decides it for ``engine`` (Aurora MySQL): the caller reads it then."""
    return _word(engine) in CLASSES_WITHOUT


def _version_at_least(version, first: tuple):
    match = _VERSION.match(version) if isinstance(version, str) and _word(version) is not None else None
    if match is None:
        return None
    major = int(match.group(1))
    if major != first[0]:
        return major > first[0]
    if match.group(2) is None:
        return None  # "10": which 10.x is not said
    return int(match.group(2)) >= first[1]


def _word(value):
    """Known text, lowered; None for anything else (a value known only at deploy time included)."""
    if isinstance(value, str) and not isinstance(value, Unresolved):
        return value.strip().lower()
    return None
