"""Benchmark: a live scan of 1,000 buckets on a local moto server, pool against sequential.

    python bench/live_bench.py [--buckets 1000] [--workers 16] [--repeat 1] [--json]

A moto server runs in its own process on 127.0.0.1 (its own interpreter, so the server's work does
not compete with the scan for one GIL), is filled with ``--buckets`` buckets (a third with SSE-KMS,
a third with a lifecycle rule, a few with a policy), and then the same live scan runs twice in this
run: with the bounded thread pool and with one worker. It reports the wall time of each, the
speed-up, and the API calls made per bucket. moto answers faster than AWS and does not throttle, so
against a real account the pool matters more, not less: the calls there spend their time waiting on
the network, which is exactly what the pool overlaps.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/moto-api/", timeout=1).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("moto server did not start")


def fill(endpoint: str, count: int) -> None:
    import boto3
    from botocore.config import Config

    s3 = boto3.client("s3", region_name="us-east-1", endpoint_url=endpoint,
                      config=Config(max_pool_connections=16, s3={"addressing_style": "path"}))
    kms = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]}
    rules = {"Rules": [{"ID": "expire", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 30}}]}

    def make(index: int) -> None:
        name = f"bench-lake-{index:05d}"
        s3.create_bucket(Bucket=name)
        if index % 3 == 0:
            s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration=kms)
        if index % 3 == 1:
            s3.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration=rules)
        if index % 50 == 0:
            s3.put_bucket_policy(Bucket=name, Policy=json.dumps({"Statement": [{
                "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": f"arn:aws:s3:::{name}/*",
                "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}))

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(make, range(count)))
    warm_up(endpoint)


def warm_up(endpoint: str) -> None:
    """moto builds a service's backend on its first request (EC2's takes seconds): do that before
    the clock starts, so neither mode pays it."""
    import boto3
    from botocore.exceptions import ClientError

    from lakelint.sources.live.session import drop_account_host_prefix

    boto3.client("sts", region_name="us-east-1", endpoint_url=endpoint).get_caller_identity()
    boto3.client("ec2", region_name="us-east-1", endpoint_url=endpoint).describe_vpc_endpoints()
    s3control = boto3.client("s3control", region_name="us-east-1", endpoint_url=endpoint)
    drop_account_host_prefix(s3control)
    try:
        s3control.get_public_access_block(AccountId="123456789012")
    except ClientError:  # NoSuchPublicAccessBlockConfiguration: the backend exists now
        pass


def scan(workers: int):
    from lakelint.core.config import build_config
    from lakelint.core.registry import load_checks
    from lakelint.runs.live import lint_live
    from lakelint.sources.live.session import LiveSession

    session = LiveSession(workers=workers)
    config = build_config({}, None)
    started = time.perf_counter()
    report = lint_live(config, load_checks(plugins=False), regions=["us-east-1"], session=session)
    return time.perf_counter() - started, report, session.guard


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--buckets", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each mode; the fastest counts")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)

    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    os.environ.update(AWS_ENDPOINT_URL=endpoint, AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench",
                      AWS_DEFAULT_REGION="us-east-1", AWS_EC2_METADATA_DISABLED="true")
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        os.environ.pop(name, None)
    server = start_server(port)
    try:
        started = time.perf_counter()
        fill(endpoint, args.buckets)
        fill_time = time.perf_counter() - started
        results = {}
        for label, workers in (("pool", args.workers), ("sequential", 1)) * args.repeat:
            wall, report, guard = scan(workers)
            if label not in results or wall < results[label]["wall_s"]:
                per_bucket = sum(n for (service, op), n in guard.calls.items()
                                 if service == "s3" and op != "ListBuckets")
                results[label] = {"workers": workers, "wall_s": round(wall, 3),
                                  "api_calls": guard.total,
                                  "api_calls_per_bucket": round(per_bucket / max(1, args.buckets), 2),
                                  "resources": report.resources, "findings": len(report.findings),
                                  "errors": len(report.errors)}
    finally:
        server.terminate()
        server.wait(timeout=10)
    speedup = results["sequential"]["wall_s"] / results["pool"]["wall_s"]
    summary = {"buckets": args.buckets, "fill_s": round(fill_time, 1), "cpus": os.cpu_count(),
               **{k: v for k, v in results.items()}, "speedup": round(speedup, 2)}
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    print(f"live scan of {args.buckets:,} buckets on a local moto server ({os.cpu_count()} CPUs; "
          f"filling it took {fill_time:.1f} s)")
    for label in ("pool", "sequential"):
        r = results[label]
        print(f"  {label:<10} {r['workers']:>2} worker{'s' if r['workers'] > 1 else ' '}  {r['wall_s']:7.2f} s  "
              f"{r['api_calls']:,} API calls ({r['api_calls_per_bucket']} per bucket)  "
              f"{r['findings']:,} findings, {r['errors']} errors")
    print(f"  speed-up of the pool over the sequential scan: {speedup:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
