"""Which accounts a multi-account run scans: the organisation's listing and OU paths, named accounts,
exclusions and shards (lakelint/sources/live/organizations.py, accounts.py)."""

from __future__ import annotations

import random

import boto3
import pytest

from lakelint.core.config import ConfigError
from lakelint.sources.live.accounts import account_ids, parse_shard, read_accounts_file, select, shard_of
from lakelint.sources.live.catalog import SCANNER_CALLS
from lakelint.sources.live.organizations import OrgAccount, list_organization
from lakelint.sources.live.session import LiveSession


def _ids(count: int, seed: int = 7) -> list:
    rng = random.Random(seed)
    return [f"{rng.randrange(10 ** 11, 10 ** 12):012d}" for _ in range(count)]


def test_shards_cover_every_account_once_whatever_the_order():
    ids = _ids(500)
    for count in (1, 2, 3, 7):
        shards = [parse_shard(f"{k}/{count}") for k in range(1, count + 1)]
        held = [[i for i in ids if s.holds(i)] for s in shards]
        assert sorted(i for group in held for i in group) == sorted(ids)  # each once
        reordered = list(reversed(ids))
        again = [[i for i in reordered if s.holds(i)] for s in shards]
        assert [sorted(g) for g in again] == [sorted(g) for g in held]  # stable under the listing's order
    halves = [len([i for i in ids if shard_of(i, 2) == k]) for k in (1, 2)]
    assert min(halves) > 200  # a hash spreads them; not the first half and the second half


def test_a_shard_depends_on_the_id_alone():
    assert shard_of("111122223333", 4) == shard_of("111122223333", 4)
    kept, _ = select([OrgAccount(i) for i in _ids(40)], shard=parse_shard("2/4"))
    kept_alone = [a for a in (OrgAccount(i) for i in _ids(40)[:20]) if parse_shard("2/4").holds(a.id)]
    assert {a.id for a in kept_alone} <= {a.id for a in kept}


@pytest.mark.parametrize("text", ["0/2", "3/2", "1/0", "1", "a/b", "1/2/3", "-1/2", ""])
def test_a_malformed_shard_is_a_usage_error(text):
    with pytest.raises(ConfigError, match="--shard"):
        parse_shard(text)


def test_account_ids_are_twelve_digits():
    assert account_ids(["111122223333,222233334444", " 333344445555 "], "--accounts") == [
        "111122223333", "222233334444", "333344445555"]
    assert account_ids(["111122223333", "111122223333"], "--accounts") == ["111122223333"]
    for bad in ("11112222333", "1111222233334", "11112222333x", "arn:aws:iam::111122223333:root"):
        with pytest.raises(ConfigError, match="not an AWS account id"):
            account_ids([bad], "--accounts")


def test_accounts_file(tmp_path):
    path = tmp_path / "accounts.txt"
    path.write_text("# data accounts\n111122223333  # raw\n222233334444, 333344445555\n\n", encoding="utf-8")
    assert read_accounts_file(str(path)) == ["111122223333", "222233334444", "333344445555"]
    path.write_text("# nothing\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="names no account"):
        read_accounts_file(str(path))
    path.write_text("111122223333\nprod\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="'prod' is not an AWS account id"):
        read_accounts_file(str(path))
    with pytest.raises(ConfigError, match="cannot read it"):
        read_accounts_file(str(tmp_path / "missing.txt"))
    path.write_bytes(b"\xff\xfe1\x00")
    with pytest.raises(ConfigError, match="not UTF-8"):
        read_accounts_file(str(path))


def test_select_names_excludes_and_reports_unknown_names():
    listed = [OrgAccount("111122223333"), OrgAccount("222233334444"), OrgAccount("333344445555")]
    kept, missing = select(listed, ["222233334444", "999999999999"], ["333344445555"])
    assert [a.id for a in kept] == ["222233334444"] and missing == ["999999999999"]
    kept, missing = select(listed, None, ["111122223333"])
    assert [a.id for a in kept] == ["222233334444", "333344445555"] and missing == []


def _organization(accounts: int = 3):
    """An organisation in moto: Root/Data/Prod and Root/Sandbox, ``accounts`` member accounts spread over
    them (the first in Prod, the second in Sandbox, the rest under the root)."""
    org = boto3.client("organizations", region_name="us-east-1")
    org.create_organization(FeatureSet="ALL")
    root = org.list_roots()["Roots"][0]["Id"]
    data = org.create_organizational_unit(ParentId=root, Name="Data")["OrganizationalUnit"]["Id"]
    prod = org.create_organizational_unit(ParentId=data, Name="Prod")["OrganizationalUnit"]["Id"]
    sandbox = org.create_organizational_unit(ParentId=root, Name="Sandbox")["OrganizationalUnit"]["Id"]
    ids = [org.create_account(AccountName=f"team-{i}", Email=f"team-{i}@example.com")["CreateAccountStatus"]["AccountId"]
           for i in range(accounts)]
    org.move_account(AccountId=ids[0], SourceParentId=root, DestinationParentId=prod)
    org.move_account(AccountId=ids[1], SourceParentId=root, DestinationParentId=sandbox)
    return org, ids, {"root": root, "data": data, "prod": prod, "sandbox": sandbox}


def test_the_organisation_is_listed_with_names_states_and_ou_paths(mocked_aws):
    org, ids, units = _organization(25)  # more than one page of ListAccounts
    org.close_account(AccountId=ids[2])
    session = LiveSession(extra_calls=SCANNER_CALLS)
    found = list_organization(session)
    by_id = {a.id: a for a in found.accounts}
    assert set(by_id) == set(ids) | {mocked_aws.account_id}
    assert by_id[ids[0]].name == "team-0" and by_id[ids[0]].ou_path == "Root/Data/Prod"
    assert by_id[ids[0]].ou_ids == (units["root"], units["data"], units["prod"])
    assert by_id[ids[1]].ou_path == "Root/Sandbox"
    assert by_id[ids[3]].ou_path == "Root" and by_id[ids[3]].active
    assert by_id[ids[2]].state == "SUSPENDED" and not by_id[ids[2]].active
    assert found.notes == []
    assert session.guard.calls[("organizations", "ListAccounts")] >= 2  # paginated
    # the OU walk costs two listings per unit (root, Data, Prod, Sandbox), not a call per account
    assert 4 <= session.guard.calls[("organizations", "ListAccountsForParent")] <= 5  # the root's: two pages
    assert session.guard.calls[("organizations", "ListOrganizationalUnitsForParent")] == 4


def test_a_denied_ou_walk_still_lists_the_accounts_and_says_so(mocked_aws):
    _, ids, _ = _organization(2)
    session = LiveSession(extra_calls=SCANNER_CALLS)
    session.on_client.append(lambda client: mocked_aws.install_answers(client))
    mocked_aws.answer_error("organizations", "ListRoots", "AccessDeniedException", 403)
    found = list_organization(session)
    assert {a.id for a in found.accounts} >= set(ids)
    assert all(a.ou_path is None for a in found.accounts)
    assert len(found.notes) == 1 and "OU paths are unknown" in found.notes[0]
    assert "organizations:ListRoots" in found.notes[0]


def test_member_sessions_refuse_the_scanners_calls(mocked_aws, live_session):
    from lakelint.sources.live.guard import WriteRefused

    session = live_session(workers=1)  # the session an account is read through
    with pytest.raises(WriteRefused):
        session.client("organizations").list_accounts()
    with pytest.raises(WriteRefused):
        session.client("sts").assume_role(RoleArn="arn:aws:iam::111122223333:role/x", RoleSessionName="lakelint")
