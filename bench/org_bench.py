"""Benchmark: an AWS Organization on a local moto server, scanned account by account and with --org.

    python bench/org_bench.py [--accounts 50] [--buckets 20] [--select CODES] [--repeat 1] [--json]

A moto server runs in its own process on 127.0.0.1 and is filled with an organisation of
``--accounts`` member accounts, each with ``--buckets`` buckets in each of two regions (us-east-1,
eu-west-1: a third SSE-KMS, a third with a lifecycle rule, every tenth with Block Public Access), two
S3 gateway endpoints and two DynamoDB tables per region, and account-level Block Public Access in half
of them. One unmeasured scan of every account builds moto's backends (EC2's takes seconds per account
and region), so no mode pays for it. Then, in this one run, on the same server:

- (a) today's per-account scan, N times: ``lint_live`` with ``--profile acct-K`` (a profile with
  ``role_arn``/``source_profile``, as a user loops over profiles today), one account after another,
  in one process; and (a') the same as a shell loop would run it, ``lakelint --live --profile acct-K``,
  one process per account;
- (b) ``lakelint --live --org --role-name ROLE``: the whole organisation in one run;
- memory: (b) over 10, 25 and every account, to see whether peak memory grows with the accounts;
- shards: ``--shard 1/2`` and ``--shard 2/2`` side by side, then ``lakelint merge``; the merged JSON
  is compared with (b)'s.

Each measured scan runs in a child process of its own (``child`` below), which reports its wall time,
its peak RSS and the API calls it made in each account (counted by each account's read-only guard).
moto answers from one process and does not throttle: the server's CPU is a shared bottleneck here,
which understates what the account pool gains against AWS, where calls wait on the network.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from live_bench import free_port, start_server  # noqa: E402  (bench/live_bench.py: the same moto server)

REGIONS = ("us-east-1", "eu-west-1")
ROLE = "lakelint-scan"
MANAGEMENT = "123456789012"


# -- the server and the organisation -------------------------------------------------------------------

def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:  # a loaded machine: do not lose the figures over it
        server.kill()
        server.wait(timeout=30)


def _client(endpoint, service, region="us-east-1", **credentials):
    import boto3
    from botocore.config import Config

    extra = {"s3": {"addressing_style": "path"}} if service == "s3" else {}
    credentials = credentials or dict(aws_access_key_id="bench", aws_secret_access_key="bench")
    return boto3.client(service, region_name=region, endpoint_url=endpoint,
                        config=Config(max_pool_connections=16, **extra), **credentials)


def fill(endpoint: str, accounts: int, buckets: int) -> list:
    """The organisation; returns the member account ids."""
    org = _client(endpoint, "organizations")
    org.create_organization(FeatureSet="ALL")
    root = org.list_roots()["Roots"][0]["Id"]
    units = [org.create_organizational_unit(ParentId=root, Name=n)["OrganizationalUnit"]["Id"]
             for n in ("Data", "Analytics", "Sandbox")]
    ids = []
    for index in range(accounts):
        account = org.create_account(AccountName=f"team-{index:03d}",
                                     Email=f"team-{index}@example.com")["CreateAccountStatus"]["AccountId"]
        org.move_account(AccountId=account, SourceParentId=root, DestinationParentId=units[index % 3])
        ids.append(account)
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda item: fill_account(endpoint, item[1], item[0], buckets), enumerate(ids)))
    return ids


def fill_account(endpoint: str, account: str, index: int, buckets: int) -> None:
    sts = _client(endpoint, "sts")
    answer = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/setup", RoleSessionName="setup")["Credentials"]
    credentials = dict(aws_access_key_id=answer["AccessKeyId"], aws_secret_access_key=answer["SecretAccessKey"],
                       aws_session_token=answer["SessionToken"])
    kms = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]}
    rules = {"Rules": [{"ID": "expire", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 30}}]}
    block = dict(BlockPublicAcls=True, BlockPublicPolicy=True, IgnorePublicAcls=True, RestrictPublicBuckets=True)
    for region in REGIONS:
        s3 = _client(endpoint, "s3", region, **credentials)
        for number in range(buckets):
            name = f"lake-{account}-{region}-{number:03d}"
            extra = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
            s3.create_bucket(Bucket=name, **extra)
            if number % 3 == 0:
                s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration=kms)
            if number % 3 == 1:
                s3.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration=rules)
            if number % 10 == 0:
                s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=block)
        ec2 = _client(endpoint, "ec2", region, **credentials)
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        for number in range(2):
            ec2.create_vpc_endpoint(VpcId=vpc, ServiceName=f"com.amazonaws.{region}.s3", VpcEndpointType="Gateway",
                                    **({"PolicyDocument": json.dumps({"Statement": [{
                                        "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                                        "Resource": f"arn:aws:s3:::lake-{account}-*/*"}]})} if number else {}))
        dynamodb = _client(endpoint, "dynamodb", region, **credentials)
        for number in range(2):
            dynamodb.create_table(TableName=f"lake-table-{number}", BillingMode="PAY_PER_REQUEST",
                                  KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                                  AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
    if index % 2 == 0:
        s3control = _client(endpoint, "s3control", **credentials)
        from lakelint.sources.live.session import drop_account_host_prefix

        drop_account_host_prefix(s3control)
        s3control.put_public_access_block(AccountId=account, PublicAccessBlockConfiguration=block)


def aws_config(folder: Path, ids) -> dict:
    """A base profile (the scanning principal) and one role profile per account, as a user has today."""
    config = folder / "aws-config"
    lines = ["[profile base]", "region = us-east-1", ""]
    for account in ids:
        lines += [f"[profile acct-{account}]", f"role_arn = arn:aws:iam::{account}:role/{ROLE}",
                  "source_profile = base", "region = us-east-1", ""]
    config.write_text("\n".join(lines))
    credentials = folder / "aws-credentials"
    credentials.write_text("[base]\naws_access_key_id = bench\naws_secret_access_key = bench\n")
    return {"AWS_CONFIG_FILE": str(config), "AWS_SHARED_CREDENTIALS_FILE": str(credentials)}


# -- one measured scan, in a child process -------------------------------------------------------------

def child(args) -> int:
    """Run one mode and print what it cost as JSON (the parent reads the last line)."""
    from lakelint.core.config import build_config
    from lakelint.core.registry import load_checks
    from lakelint.reporters import stream

    config = build_config({"select": args.select.split(",")} if args.select else {}, None)
    specs = load_checks(plugins=False)
    ids = [line for line in Path(args.ids).read_text().split() if line]
    calls = {}
    if args.trace:
        import tracemalloc

        tracemalloc.start()
    started = time.perf_counter()
    if args.mode == "per-account":
        from lakelint.runs.live import lint_live
        from lakelint.sources.live.session import LiveSession

        findings = errors = 0
        for account in ids:  # today: one profile after another
            session = LiveSession(profile=f"acct-{account}")
            report = lint_live(config, specs, regions=list(REGIONS), session=session)
            with open(Path(args.out).with_suffix(f".{account}.json"), "w", encoding="utf-8") as handle:
                handle.writelines(stream(report, "json"))
            calls[account] = session.guard.total
            findings += len(report.findings)
            errors += len(report.errors)
    else:
        from lakelint.runs.org import OrgRequest, lint_org
        from lakelint.sources.live.accounts import parse_shard

        guards = {}  # each account's read-only guard counts its calls; the bench keeps only the guards:
        # keeping each session would keep its boto3 session (credentials, loaders, event hooks) alive
        # past the account's scan, which lint_org does not, and the memory figures would measure the bench
        request = OrgRequest(org=True, role_name=ROLE, accounts=ids if args.subset else None,
                             shard=parse_shard(args.shard) if args.shard else None)
        report = lint_org(config, specs, request, profile="base", regions=list(REGIONS),
                          on_session=lambda account, session: guards.setdefault(account, session.guard))
        with open(args.out, "w", encoding="utf-8") as handle:
            handle.writelines(stream(report, "json"))
        calls = {account: guard.total for account, guard in guards.items()}
        findings, errors = report.summary()["findings"], len(report.errors)
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    measured = {"wall_s": round(wall, 2), "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
                "peak_rss_mb": round(usage.ru_maxrss / 1024, 1), "calls": calls, "findings": findings,
                "errors": errors}
    if args.trace:
        measured["peak_python_heap_mb"] = round(tracemalloc.get_traced_memory()[1] / 1024 ** 2, 1)
    print(json.dumps(measured))
    return 0


SERVER = {}  # the moto server's process, to read its CPU time


def server_cpu() -> float:
    """Seconds of CPU the moto server has used (Linux /proc), 0 where unknown."""
    try:
        fields = Path(f"/proc/{SERVER['pid']}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (KeyError, OSError, ValueError, IndexError):
        return 0.0


def run_child(env, ids_file, mode, out, select, shard=None, subset=False, trace=False) -> dict:
    command = [sys.executable, __file__, "child", "--mode", mode, "--ids", str(ids_file), "--out", str(out)]
    if trace:
        command += ["--trace"]
    if select:
        command += ["--select", select]
    if shard:
        command += ["--shard", shard]
    if subset:
        command += ["--subset"]
    before = server_cpu()
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=7200)
    if done.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{done.stderr[-3000:]}")
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    measured["server_cpu_s"] = round(server_cpu() - before, 1)
    return measured


def cli_loop(env, ids, folder: Path, select) -> dict:
    """(a'): ``lakelint --live --profile acct-K`` per account, as a shell loop runs it."""
    started = time.perf_counter()
    for account in ids:
        command = [sys.executable, "-m", "lakelint", "--live", "--profile", f"acct-{account}", "-f", "json",
                   "-o", str(folder / f"loop-{account}.json")]
        for region in REGIONS:
            command += ["--region", region]
        if select:
            command += ["--select", select]
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=3600)
        if done.returncode not in (0, 1):
            raise SystemExit(f"lakelint --live --profile acct-{account} exited {done.returncode}:\n{done.stderr[-2000:]}")
    wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"wall_s": round(wall, 2), "peak_rss_mb_of_any_child": round(peak, 1)}


def _per_account(calls: dict) -> dict:
    values = sorted(calls.values())
    return {"min": values[0], "max": values[-1], "mean": round(sum(values) / len(values), 1)} if values else {}


def memory_by_accounts(env, ids, folder: Path, select) -> dict:
    """Peak RSS of ``--org`` over the first 10, 25 and every account: whether memory grows with them."""
    memory = {}
    for count in sorted({min(10, len(ids)), min(25, len(ids)), len(ids)}):
        subset = folder / f"subset-{count}.txt"
        subset.write_text("\n".join(ids[:count]) + "\n")
        memory[count] = run_child(env, subset, "org", folder / f"memory-{count}.json", select,
                                  subset=True)["peak_rss_mb"]
    return memory


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command")
    kid = sub.add_parser("child")
    kid.add_argument("--mode", choices=("per-account", "org"), required=True)
    kid.add_argument("--ids", required=True)
    kid.add_argument("--out", required=True)
    kid.add_argument("--select")
    kid.add_argument("--shard")
    kid.add_argument("--subset", action="store_true")
    kid.add_argument("--trace", action="store_true", help="also trace the Python heap's peak (slower)")
    parser.add_argument("--accounts", type=int, default=50)
    parser.add_argument("--buckets", type=int, default=20, help="buckets per account and region")
    parser.add_argument("--select", default="", help="checks to run (default: every check)")
    parser.add_argument("--repeat", type=int, default=2,
                        help="runs of (a) and (b), taken in turns; the fastest of each counts (a shared machine)")
    parser.add_argument("--no-cli-loop", action="store_true", help="skip (a'), one process per account")
    parser.add_argument("--memory-only", action="store_true",
                        help="measure only the peak memory of --org by accounts scanned (10, 25, every one)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.command == "child":
        return child(args)

    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    folder = Path(tempfile.mkdtemp(prefix="lakelint-org-bench-"))
    load_before = os.getloadavg()
    os.environ.update(AWS_ENDPOINT_URL=endpoint, AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench",
                      AWS_DEFAULT_REGION="us-east-1", AWS_EC2_METADATA_DISABLED="true")
    server = start_server(port)
    SERVER["pid"] = server.pid
    try:
        started = time.perf_counter()
        ids = fill(endpoint, args.accounts, args.buckets)
        fill_s = time.perf_counter() - started
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update(aws_config(folder, ids), AWS_ENDPOINT_URL=endpoint, AWS_EC2_METADATA_DISABLED="true",
                   PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])))
        ids_file = folder / "ids.txt"
        ids_file.write_text("\n".join(ids) + "\n")
        every = folder / "every.txt"
        every.write_text("\n".join(ids + [MANAGEMENT]) + "\n")
        warm = run_child(env, every, "org", folder / "warm.json", args.select)  # builds moto's backends
        if args.memory_only:
            memory = memory_by_accounts(env, ids, folder, args.select)
            print(json.dumps({"accounts": len(ids), "peak_rss_mb_by_accounts": memory}) if args.json else
                  "peak memory of --org by accounts scanned: " + ", ".join(f"{n}: {mb:.0f} MB" for n, mb in memory.items()))
            return 0

        results = {}
        for _ in range(args.repeat):
            for label, mode in (("a_per_account", "per-account"), ("b_org", "org")):
                measured = run_child(env, ids_file, mode, folder / f"{label}.json", args.select,
                                     subset=(mode == "org"))
                if label not in results or measured["wall_s"] < results[label]["wall_s"]:
                    results[label] = measured
        same_calls = results["a_per_account"]["calls"] == results["b_org"]["calls"]
        loop = None if args.no_cli_loop else cli_loop(env, ids, folder, args.select)

        memory = memory_by_accounts(env, ids, folder, args.select)

        started = time.perf_counter()
        with ThreadPoolExecutor(2) as pool:  # two machines of a CI matrix, here sharing this one
            shards = list(pool.map(lambda k: run_child(env, ids_file, "org", folder / f"shard-{k}.json", args.select,
                                                        shard=f"{k}/2", subset=True), (1, 2)))
        shards_s = time.perf_counter() - started
        started = time.perf_counter()
        merge = subprocess.run([sys.executable, "-m", "lakelint", "merge", str(folder / "shard-1.json"),
                                str(folder / "shard-2.json"), "-f", "json", "-o", str(folder / "merged.json")],
                               env=env, capture_output=True, text=True, timeout=600)
        merge_s = time.perf_counter() - started
        merged_equal = (folder / "merged.json").read_text() == (folder / "b_org.json").read_text()
    finally:
        stop_server(server)
    load_after = os.getloadavg()

    a, b = results["a_per_account"], results["b_org"]
    summary = {
        "accounts": len(ids), "regions": len(REGIONS), "buckets_per_account_region": args.buckets,
        "select": args.select or "every check", "cpus": os.cpu_count(), "fill_s": round(fill_s, 1),
        "load_average_before": [round(x, 2) for x in load_before], "load_average_after": [round(x, 2) for x in load_after],
        "warm_up_s": warm["wall_s"],
        "a_per_account": {k: v for k, v in a.items() if k != "calls"},
        "b_org": {k: v for k, v in b.items() if k != "calls"},
        "ratio_a_over_b": round(a["wall_s"] / b["wall_s"], 2),
        "cpu_ratio_a_over_b": round(a["cpu_s"] / b["cpu_s"], 2) if b["cpu_s"] else None,
        "a_cli_loop": loop, "ratio_cli_loop_over_b": round(loop["wall_s"] / b["wall_s"], 2) if loop else None,
        "calls_per_account": {"a": _per_account(a["calls"]), "b": _per_account(b["calls"]), "identical": same_calls},
        "peak_rss_mb_by_accounts": memory,
        "shards": {"walls_s": [s["wall_s"] for s in shards], "peak_rss_mb": [s["peak_rss_mb"] for s in shards],
                   "both_s": round(shards_s, 2), "merge_s": round(merge_s, 2), "merge_exit": merge.returncode,
                   "merged_equals_one_run": merged_equal},
    }
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    print(f"organisation of {len(ids)} accounts x {len(REGIONS)} regions x {args.buckets} buckets on a local moto "
          f"server ({os.cpu_count()} CPUs; load average {load_before[0]:.1f} before, {load_after[0]:.1f} after; "
          f"filling took {fill_s:.0f} s)")
    print(f"  (a)  per-account scans, one after another: {a['wall_s']:8.1f} s, peak {a['peak_rss_mb']:.0f} MB, "
          f"CPU {a['cpu_s']:.0f} s (moto {a['server_cpu_s']:.0f} s)")
    if loop:
        print(f"  (a') one lakelint process per account:    {loop['wall_s']:8.1f} s")
    print(f"  (b)  --org:                                {b['wall_s']:8.1f} s, peak {b['peak_rss_mb']:.0f} MB, "
          f"CPU {b['cpu_s']:.0f} s (moto {b['server_cpu_s']:.0f} s)")
    print(f"  ratio (a)/(b): {summary['ratio_a_over_b']}x wall, {summary['cpu_ratio_a_over_b']}x lakelint CPU"
          + (f"; (a')/(b): {summary['ratio_cli_loop_over_b']}x wall" if loop else ""))
    print(f"  calls per account: (a) {summary['calls_per_account']['a']}, (b) {summary['calls_per_account']['b']}, "
          f"identical: {same_calls}")
    print(f"  peak memory of --org by accounts scanned: "
          + ", ".join(f"{n}: {mb:.0f} MB" for n, mb in memory.items()))
    print(f"  2 shards side by side: {shards_s:.1f} s (each {summary['shards']['walls_s']}), merge {merge_s:.1f} s, "
          f"merged report equals the one run's: {merged_equal}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
