"""Which regions a scan reads, and in which of them account-level defaults are judged.

``--region`` names regions; ``--region all`` asks EC2 for every region enabled in the account; with
neither, the profile's region is scanned. Regions named (or the profile's) are judged in full.

Some records exist in every region whether or not the account uses it there: the EBS
encryption-by-default setting (LL413), Lake Formation's data lake settings (LL701, LL702), the Glue
Data Catalog's encryption settings (LL711), Athena's ``primary`` workgroup (LL721, LL722) and the default
VPC with its route tables (LL204). Judged in each of the 17+ regions of ``--region all`` they would
repeat the same finding about regions nobody uses. So, among the regions ``all`` found, these
**regional defaults** are judged only where the account has **data-lake resources**: at least one
resource of a type a check judges, other than lakelint's own records (``LakeLint::*``) and the
regional defaults themselves, among what the scan listed there. The scan lists the types the selected
checks read (with the default selection, every type), and under ``--region all`` always the S3
buckets too (names and regions only: one ``ListBuckets`` on AWS), each bucket counting in its own
region. The other regions are named in one note on stderr. ``live-regions: all`` in the configuration
judges every region in full.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lakelint.core.config import ConfigError
from lakelint.sources.live.catalog import DESCRIBE_REGIONS
from lakelint.sources.live.faults import Fault

OWN_TYPES_PREFIX = "LakeLint::"
REGION_NAME = re.compile(r"^[a-z]{2}(-[a-z0-9]+)+-\d+$")  # us-east-1, us-gov-west-1, eu-isoe-west-1


@dataclass
class RegionChoice:
    regions: list = field(default_factory=list)  # the regions to scan, in order
    named: set = field(default_factory=set)  # named by --region (or the profile's): judged in full
    errors: list = field(default_factory=list)


def resolve_regions(session, requested) -> RegionChoice:
    """The regions to scan: ``--region`` values, ``all`` for every enabled region, or the profile's
    region when none is given (a usage error when there is none)."""
    requested = [r.strip() for r in requested or [] if r and r.strip()]
    if not requested:
        if not session.home_region:
            raise ConfigError("no AWS region: pass --region, set one in the profile, or set AWS_REGION")
        return RegionChoice([session.home_region], {session.home_region})
    choice = RegionChoice()
    regions = []
    for name in requested:
        if name.lower() != "all":
            if not REGION_NAME.match(name):
                raise ConfigError(f"--region {name!r} is not a region name (like us-east-1), nor 'all'")
            regions.append(name)
            choice.named.add(name)
            continue
        try:
            answer = session.read(DESCRIBE_REGIONS, session.home_region)
        except Fault as fault:
            choice.errors.append(fault.error("list the account's enabled regions"))
            continue
        regions.extend(sorted(r["RegionName"] for r in answer.get("Regions", [])))
    choice.regions = list(dict.fromkeys(regions))
    return choice


def holds_lake_resources(records) -> bool:
    """Whether a region's records include a data-lake resource (see the module's docstring)."""
    return any(not r.type.startswith(OWN_TYPES_PREFIX) and not r.default for r in records)


def quiet_regions(choice: RegionChoice, records_by_region: dict, live_regions: str | None) -> list:
    """The regions whose regional defaults are not judged: found by ``all``, not named, without
    data-lake resources, unless ``live-regions: all``."""
    if (live_regions or "active") == "all":
        return []
    return [region for region in choice.regions
            if region not in choice.named and not holds_lake_resources(records_by_region.get(region, []))]
