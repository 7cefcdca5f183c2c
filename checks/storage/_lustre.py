"""What the FSx for Lustre checks (LL421-LL424) share, in the reading idiom (lakelint/core/reading.py):
the branches in which a file system is Lustre, its deployment type, and whether it is linked to S3."""

from __future__ import annotations

from lakelint.core.propcheck import text
from lakelint.core.reading import existing, known, read_together
from lakelint.core.values import MISSING, LocDict, Unresolved

FILE_SYSTEM = "AWS::FSx::FileSystem"
ASSOCIATION = "AWS::FSx::DataRepositoryAssociation"
DEPLOYMENT = "LustreConfiguration.DeploymentType"
IMPORT_PATH = "LustreConfiguration.ImportPath"
# Live only: the Unreadable that stands for the associations when they could not be listed, on a file
# system that shows no other link to S3 (lakelint/sources/live/collectors/fsx.py).
ASSOCIATIONS = "DataRepositoryAssociations"
DEFAULT_DEPLOYMENT = "SCRATCH_1"  # what FSx creates when DeploymentType is not written

# What the link to S3 reads: the legacy ImportPath, the live record of an association listing that
# failed, and the associations themselves (their existence, not their properties).
LINK_READS = {FILE_SYSTEM: [IMPORT_PATH, ASSOCIATIONS], ASSOCIATION: []}


def lustre(fs, *keys):
    """``(values, config)`` for every joint branch of ``FileSystemType``, ``LustreConfiguration`` and the
    top-level ``keys`` in which ``fs`` is an FSx for Lustre file system (``FileSystemType`` LUSTRE, or
    known only at deploy time on a file system that has a ``LustreConfiguration``); ``config`` is that
    block (empty when absent). Verdicts made inside hold in that branch."""
    for values in read_together(fs, "FileSystemType", "LustreConfiguration", *keys):
        kind = values.get("FileSystemType", MISSING)
        config = values.get("LustreConfiguration", MISSING)
        if text(kind) == "lustre" or (isinstance(kind, Unresolved) and isinstance(config, dict)):
            yield values, config if isinstance(config, dict) else LocDict()


def deployment_type(config):
    """The deployment type in upper case (``SCRATCH_1`` when not written, as FSx defaults), or the
    value known only at deploy time: pass it to ``known`` before judging it."""
    deployment = config.get("DeploymentType", MISSING)
    if deployment is MISSING:
        return DEFAULT_DEPLOYMENT
    return deployment if isinstance(deployment, Unresolved) else str(deployment).upper()


def linked_parts(fs, config):
    """Whether ``fs`` is linked to an S3 data repository, once per part of the parameter space where
    the answer is the same: a legacy ``ImportPath`` (in this branch), or an
    ``AWS::FSx::DataRepositoryAssociation`` of the file system that exists there (one with a
    ``Condition`` links it only where the condition holds). Verdicts made inside hold in that part."""
    import_path = config.get("ImportPath", MISSING)
    associations = fs.related("data_repository_associations")
    if import_path or not associations:
        yield bool(import_path)
        return
    for present in existing(associations, within=fs):
        yield bool(present)


def link_unknown(values, what: str, *, key: str) -> bool:
    """Live, on a file system with no other link to S3: True (and "cannot verify <what>" reported) when
    the listing of its data repository associations failed, so whether it is linked is unknown. Read
    ``ASSOCIATIONS`` with ``lustre`` to ask."""
    return known(values.get(ASSOCIATIONS, MISSING), what, key=key) is None


def block_line(values, key="LustreConfiguration"):
    """A ``fail(at=...)`` target: where ``key`` itself is written (a block's first line), else nothing."""
    if isinstance(values, LocDict):
        return values.key_pos.get(key)
    return None
