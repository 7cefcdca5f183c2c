"""The multi-account flags on the command line: usage errors before any call, the scanning principal's
policy, and the one-profile rule (issue 14: ``--profile a --profile b`` silently used the last)."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stdout

import pytest

from lakelint.cli import main


def _profiles(tmp_path, monkeypatch, *names):
    config = tmp_path / "aws-config"
    config.write_text("".join(f"[profile {n}]\nregion = us-east-1\naws_access_key_id = {n}\n"
                              f"aws_secret_access_key = {n}\n" for n in names))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(name, raising=False)


def test_two_profiles_are_a_usage_error_not_the_last_one_silently(mocked_aws, tmp_path, monkeypatch, capsys):
    _profiles(tmp_path, monkeypatch, "a", "b")
    with pytest.raises(SystemExit) as stopped:
        main(["--live", "--profile", "a", "--profile", "b", "--select", "LL302"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "--profile given twice" in err and "--org or --accounts" in err
    assert main(["--live", "--profile", "b", "--select", "LL302"]) == 1  # one profile is fine


@pytest.mark.parametrize("args, message", [
    (["--org", "--role-name", "scan"], "--org applies to a live run: add --live"),
    (["--live", "--shard", "1/2"], "--shard applies to many accounts: add --org"),
    (["--live", "--exclude-accounts", "111122223333"], "--exclude-accounts applies to many accounts"),
    (["--live", "--role-name", "scan"], "--role-name applies to many accounts"),
    (["--live", "--org"], "--org and --accounts need --role-name ROLE"),
    (["--live", "--org", "--role-name", "bad name"], "is not an IAM role name"),
    (["--live", "--org", "--role-name", "scan", "--role-session-name", "x"], "--role-session-name 'x'"),
    (["--live", "--org", "--role-name", "scan", "--shard", "3/2"], "--shard '3/2'"),
    (["--live", "--accounts", "1234", "--role-name", "scan"], "'1234' is not an AWS account id"),
    (["--live", "--accounts", ",", "--role-name", "scan"], "--accounts names no account"),
    (["--live", "--org", "--role-name", "scan", "--exclude-accounts", "x"], "'x' is not an AWS account id"),
    (["--live", "--org", "--role-name", "scan", "--region", "moon-1"], "is not a region name"),
    (["--live", "--org", "--role-name", "scan", "--timeout", "0"], "--timeout must be a positive number"),
    (["--live", "--accounts-file", "missing.txt", "--role-name", "scan"], "--accounts-file missing.txt: cannot read"),
])
def test_usage_errors_come_before_any_call(mocked_aws, args, message, capsys, tmp_path, monkeypatch, live_session):
    monkeypatch.chdir(tmp_path)
    calls = []
    from lakelint.sources.live import guard

    monkeypatch.setattr(guard.ReadOnlyGuard, "count", lambda self, model=None, **_: calls.append(model.name))
    assert main(args) == 2
    assert message in capsys.readouterr().err
    assert calls == []


def test_max_accounts_in_flight_must_be_positive(capsys):
    with pytest.raises(SystemExit):
        main(["--live", "--org", "--role-name", "scan", "--max-accounts-in-flight", "0"])
    assert "expected a positive whole number" in capsys.readouterr().err


def _printed(*args) -> dict:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(list(args)) == 0
    return json.loads(out.getvalue())


def test_the_scanning_principals_policy():
    policy = _printed("--print-iam-policy", "--org", "--role-name", "lakelint-scan")
    listing, assume = policy["Statement"]
    assert listing["Action"] == ["organizations:ListAccounts", "organizations:ListAccountsForParent",
                                 "organizations:ListOrganizationalUnitsForParent", "organizations:ListRoots"]
    assert assume == {"Sid": "LakelintAssumeScanRole", "Effect": "Allow", "Action": ["sts:AssumeRole"],
                      "Resource": "arn:*:iam::*:role/lakelint-scan"}
    named = _printed("--print-iam-policy", "--accounts", "111122223333")
    assert [s["Sid"] for s in named["Statement"]] == ["LakelintAssumeScanRole"]  # no organisation to list
    member = _printed("--print-iam-policy")
    assert not any(a.startswith(("organizations:", "sts:AssumeRole")) for a in member["Statement"][0]["Action"])
