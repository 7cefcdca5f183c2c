"""The scan plan: checks declare what they read, collectors what they provide, and the scan makes only
the calls between the two. What the scan did not read is unknown, never "not configured"; a check
that reads what no collector provides is refused before the scan.
"""

from __future__ import annotations

import pytest

from lakelint.cli import main
from lakelint.core.check import CheckSpec, check, fail, unknown
from lakelint.core.config import ConfigError, build_config
from lakelint.core.registry import load_checks
from lakelint.core.values import MISSING, is_unresolved
from lakelint.runs.live import lint_live

SPECS = load_checks(plugins=False)


def plugin(code, reads, func, resource_types=("AWS::S3::Bucket",), sources=("live",)):
    """A check as a plugin would declare it (the registry's documentation rules aside)."""
    meta = check(code=code, name=f"test-{code.lower()}", severity="high", title="test check",
                 resource_types=list(resource_types), sources=list(sources), reads=reads)(func).__lakelint_check__
    return CheckSpec(func=func, summary="test check", docs={}, module=f"tests.plugin_{code.lower()}",
                     origin="test", **meta)


def object_lock(bucket, ctx):
    """Object Lock must be on: absent is a finding, unknown is unknown."""
    value = bucket.props.get("IntelligentTieringConfigurations", MISSING)
    if is_unresolved(value):
        yield unknown(f"cannot verify Object Lock: it {value.reason}", cause=value)
    elif value is MISSING:
        yield fail("Object Lock is not configured")


def lifecycle_only(bucket, ctx):
    value = bucket.props.get("LifecycleConfiguration", MISSING)
    if is_unresolved(value):
        yield unknown(f"cannot verify the lifecycle: it {value.reason}", cause=value)
    elif value is MISSING:
        yield fail("no lifecycle")


def _lint(specs, select, session, **config):
    return lint_live(build_config({"select": select, **config}, None), specs, regions=["us-east-1"], session=session)


# -- calls follow the declarations ---------------------------------------------------------------


def test_an_exact_declaration_makes_only_its_calls(mocked_aws, live_session):
    for name in ("lake-a", "lake-b"):
        mocked_aws.bucket(name)
    spec = plugin("XP102", {"AWS::S3::Bucket": ["BucketEncryption.ServerSideEncryptionConfiguration"]},
                  lambda bucket, ctx: ())
    session = live_session(workers=2)
    report = _lint(SPECS + [spec], ["XP102"], session)
    assert report.errors == []
    assert dict(session.guard.calls) == {("sts", "GetCallerIdentity"): 1, ("s3", "ListBuckets"): 1,
                                         ("s3", "GetBucketLocation"): 2, ("s3", "GetBucketEncryption"): 2}


@pytest.mark.parametrize("select, made, not_made", [
    (["LL301"], {("s3", "ListBuckets")}, {("s3", "GetBucketEncryption"), ("ec2", "DescribeVpcEndpoints")}),
    (["LL201"], {("ec2", "DescribeVpcEndpoints")}, {("s3", "ListBuckets"), ("s3control", "GetPublicAccessBlock")}),
    # LL102 declares exactly what it reads (BucketEncryption): nothing of the account, no other bucket property
    (["LL102"], {("s3", "GetBucketEncryption")},
     {("s3control", "GetPublicAccessBlock"), ("s3", "GetBucketPolicy"), ("ec2", "DescribeVpcEndpoints"),
      ("kms", "ListKeys"), ("service-quotas", "GetServiceQuota")}),
    # LL101 reads the account-level setting too (a bucket setting the account turns on counts as on)
    (["LL101"], {("s3", "GetPublicAccessBlock"), ("s3control", "GetPublicAccessBlock")},
     {("s3", "GetBucketEncryption"), ("s3", "GetBucketPolicy"), ("ec2", "DescribeVpcEndpoints")}),
    # LL105 reads bucket policies, and no other bucket property
    (["LL105"], {("s3", "ListBuckets"), ("s3", "GetBucketPolicy")},
     {("s3", "GetPublicAccessBlock"), ("s3", "GetBucketEncryption"), ("s3control", "GetPublicAccessBlock")}),
    # LL113 reads logging only: the log-bucket relation comes from the same property
    (["LL113"], {("s3", "GetBucketLogging")},
     {("s3", "GetBucketPolicy"), ("s3", "GetBucketAcl"), ("s3control", "GetPublicAccessBlock")}),
    (["LL413"], {("ec2", "GetEbsEncryptionByDefault")}, {("s3", "ListBuckets"), ("kms", "ListKeys")}),
])
def test_calls_per_selection(mocked_aws, live_session, select, made, not_made):
    mocked_aws.bucket("lake-a")
    session = live_session(workers=2)
    _lint(SPECS, select, session)
    calls = set(session.guard.calls)
    assert made <= calls and not (not_made & calls), calls


# -- what was not read is unknown ------------------------------------------------------------------


def test_a_property_no_collector_provides_is_refused_before_the_scan(mocked_aws, live_session):
    spec = plugin("XP125", {"AWS::S3::Bucket": ["IntelligentTieringConfigurations.Status"]}, object_lock)
    session = live_session(workers=1)
    with pytest.raises(ConfigError) as refused:
        _lint(SPECS + [spec], ["XP125"], session)
    assert "XP125" in str(refused.value)
    assert "AWS::S3::Bucket IntelligentTieringConfigurations.Status" in str(refused.value)
    assert session.guard.total == 0  # refused before anything was read


def test_a_property_no_collector_provides_reads_as_unknown_not_as_absent(mocked_aws, live_session):
    """A check that states nothing exact ("*") but reads a property no collector fills: before, the
    property came back MISSING and the check reported "not configured" on a bucket it never saw."""
    mocked_aws.bucket("lake-raw")
    spec = plugin("XP125", (), object_lock)  # resource_types only: "*" for the bucket
    report = _lint(SPECS + [spec], ["XP125"], live_session(workers=1))
    assert report.findings == []
    (error,) = report.errors
    assert (error.check, error.resource) == ("XP125", "lake-raw")
    assert "was not read: no live collector reads AWS::S3::Bucket IntelligentTieringConfigurations" in error.message


def test_a_property_no_selected_check_declared_reads_as_unknown(mocked_aws, live_session):
    mocked_aws.bucket("lake-raw")  # no lifecycle: had it been read, the check would fail
    spec = plugin("XP103", {"AWS::S3::Bucket": ["BucketEncryption"]}, lifecycle_only)
    session = live_session(workers=1)
    report = _lint(SPECS + [spec], ["XP103"], session)
    assert report.findings == []
    (error,) = report.errors
    assert "no selected check declares AWS::S3::Bucket LifecycleConfiguration" in error.message
    assert ("s3", "GetBucketLifecycleConfiguration") not in session.guard.calls


def test_an_exact_declaration_still_reads_the_property_as_it_is(mocked_aws, live_session):
    mocked_aws.bucket("lake-raw")
    spec = plugin("XP103", {"AWS::S3::Bucket": ["LifecycleConfiguration.Rules"]}, lifecycle_only)
    report = _lint(SPECS + [spec], ["XP103"], live_session(workers=1))
    assert report.errors == [] and [(f.check, f.resource) for f in report.findings] == [("XP103", "lake-raw")]


def test_the_quota_is_read_only_with_bucket_quota_auto(mocked_aws, live_session):
    mocked_aws.bucket("lake-raw")
    session = live_session(workers=1)
    _lint(SPECS, ["LL302"], session)
    assert ("service-quotas", "GetServiceQuota") not in session.guard.calls


# -- the load-time rule ----------------------------------------------------------------------------


def test_every_built_in_check_passes_the_live_read_rule():
    from lakelint.sources.live.plan import check_reads, unprovided_reads

    assert unprovided_reads(SPECS) == []
    check_reads(SPECS)


def test_the_rule_names_each_check_and_path():
    from lakelint.sources.live.plan import unprovided_reads

    specs = [plugin("XP125", {"AWS::S3::Bucket": ["IntelligentTieringConfigurations"]}, object_lock),
             plugin("XP126", {"AWS::EC2::InternetGateway": ["Tags"]}, object_lock),
             plugin("XP127", {"AWS::S3::Bucket": ["NoSuchThing"]}, object_lock, sources=("template",)),
             plugin("XP128", {"AWS::EC2::InternetGateway": []}, object_lock)]  # identity only: fine
    problems = unprovided_reads(specs)
    assert problems == [
        "XP125 (tests.plugin_xp125) reads AWS::S3::Bucket IntelligentTieringConfigurations, which no live collector provides",
        "XP126 (tests.plugin_xp126) reads AWS::EC2::InternetGateway Tags, but live mode does not read "
        "AWS::EC2::InternetGateway at all"]


def test_a_judged_type_live_mode_never_lists_is_judged_on_templates_only():
    """A check that judges tables and global tables reads a global table's replicas: live mode lists no
    global table (each replica is a table of its Region), so the check never meets one live and its
    template-only reads are not refused; the same read through a relation still is."""
    from lakelint.sources.live.plan import unprovided_reads

    judged = plugin("XP129", {"AWS::DynamoDB::Table": ["SSESpecification"],
                              "AWS::DynamoDB::GlobalTable": ["Replicas.SSESpecification"]}, object_lock,
                    resource_types=("AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable"), sources=("template", "live"))
    related = plugin("XP130", {"AWS::DynamoDB::Table": ["SSESpecification"],
                               "AWS::DynamoDB::GlobalTable": ["Replicas"]}, object_lock,
                     resource_types=("AWS::DynamoDB::Table",))
    assert unprovided_reads([judged, related]) == [
        "XP130 (tests.plugin_xp130) reads AWS::DynamoDB::GlobalTable Replicas, but live mode does not read "
        "AWS::DynamoDB::GlobalTable at all"]


CHECKS_DIR_MODULE = '''"""Object Lock on every bucket.

## What it does
Flags buckets without Object Lock.
## Why it matters
Deleted data cannot be recovered.
## Example
A bucket without IntelligentTieringConfigurations.
## Fix
Turn Object Lock on.
## References
- https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html
"""
from lakelint.core.check import check, fail


@check(code="XP125", name="object-lock-everywhere", severity="low", title="Bucket without Object Lock",
       resource_types=["AWS::S3::Bucket"], reads={"AWS::S3::Bucket": ["IntelligentTieringConfigurations"]})
def run(bucket, ctx):
    if "IntelligentTieringConfigurations" not in bucket.props:
        yield fail("Object Lock is off")
'''


def test_the_command_refuses_such_a_check_with_exit_2(mocked_aws, tmp_path, monkeypatch, capsys):
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "object_lock.py").write_text(CHECKS_DIR_MODULE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    mocked_aws.bucket("lake-raw")
    assert main(["--live", "--checks-dir", str(plugins), "--select", "LL102"]) == 2
    err = capsys.readouterr().err
    assert "XP125" in err and "AWS::S3::Bucket IntelligentTieringConfigurations" in err and "Traceback" not in err
    assert main(["--checks-dir", str(plugins), "--print-iam-policy"]) == 2  # the policy would be for nothing


# -- the docs come from the same declarations --------------------------------------------------------


def test_live_calls_line_and_tables_come_from_the_plan():
    from lakelint.sources.live.collectors import collectors
    from lakelint.sources.live.docs import collectors_table, live_calls, live_calls_line, properties_table

    by_code = {s.code: s for s in SPECS}
    assert [c.operation for c in live_calls(by_code["LL301"])] == ["GetCallerIdentity", "ListBuckets",
                                                                  "GetBucketLocation"]
    line = live_calls_line(by_code["LL301"])
    assert line.startswith("Live calls: `GetCallerIdentity` (`sts:GetCallerIdentity`)")
    assert "with bucket-quota: auto, also `GetServiceQuota` (`servicequotas:GetServiceQuota`)" in line
    assert live_calls_line(by_code["LL117"]) is None  # template-only
    table = collectors_table()
    assert all(f"| {c.name} (" in table for c in collectors())
    assert "| `AWS::S3::Bucket` | `BucketEncryption` | `ListBuckets`, `GetBucketLocation`, `GetBucketEncryption` |" \
        in properties_table()


# -- issue 18, item 5: the account is identified once per scan ------------------------------------------


def test_the_account_is_identified_once_per_scan(mocked_aws, live_session):
    """The scan's GetCallerIdentity is handed to every collector. Before, the access point collector and
    the Glue/Athena/Lake Formation/EBS ones each cached it separately, and raced on the pool."""
    mocked_aws.bucket("lake-raw")
    session = live_session(workers=8)
    select = ["LL122", "LL711", "LL721", "LL701", "LL411", "LL102"]
    _lint_regions = lint_live(build_config({"select": select}, None), SPECS, regions=["us-east-1", "eu-west-1"],
                              session=session)
    assert _lint_regions.errors == []
    assert session.guard.calls[("sts", "GetCallerIdentity")] == 1


def test_live_props_and_not_read_values_survive_pickling():
    import pickle

    from lakelint.sources.live.faults import NotRead
    from lakelint.sources.live.props import LiveProps

    props = LiveProps({"BucketName": "lake-raw"}, "AWS::S3::Bucket", {"BucketName", "BucketEncryption"},
                      {"Tags": "no selected check declares AWS::S3::Bucket Tags in its reads"})
    copy = pickle.loads(pickle.dumps(props))
    assert copy == {"BucketName": "lake-raw"} and copy.get("BucketEncryption", MISSING) is MISSING
    value = copy.get("Tags")
    assert isinstance(value, NotRead) and value.reason.startswith("was not read: no selected check declares")
    assert "IntelligentTieringConfigurations" in copy and is_unresolved(copy["IntelligentTieringConfigurations"])
    again = pickle.loads(pickle.dumps(value))
    assert (again.reason, again.kind, again.api_call) == (value.reason, "not-read", None)
