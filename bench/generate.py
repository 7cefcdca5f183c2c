"""Generate realistic, deterministic data-lake CloudFormation templates for the benchmark.

Each template looks like a data-lake stack a team would commit: parameters with and without
``AllowedValues``, an ``IsProd`` condition, four to six S3 buckets (raw, curated, analytics, logs, ...)
whose encryption, Block Public Access, lifecycle and versioning settings vary, bucket policies with
TLS and account conditions, a KMS key, an S3 gateway endpoint with or without a policy, a Glue
database and an Athena workgroup, and outputs. Some values sit behind ``!If``, ``!Ref`` or ``!Sub``;
some resources carry a ``Metadata.lakelint`` suppression. Templates come out at about 200 lines, close
to the 205-line templates of issue 6.

The same ``(count, seed)`` always yields byte-identical files, so runs on different days and machines
compare like with like. Usage::

    python3 bench/generate.py OUT_DIR --count 100 [--seed 6] [--json-every 10]

Every ``--json-every``-th template is written as JSON (the same structure, long-form intrinsics), so
both parsers are exercised; 0 writes YAML only.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

AREAS = ("raw", "curated", "analytics", "logs", "landing", "archive", "sandbox", "export")
DOMAINS = ("sales", "billing", "clickstream", "inventory", "payments", "telemetry", "hr", "supply")


class _Tag:
    """A CloudFormation short-form intrinsic (``!Ref X``), rendered as a tag in YAML and as the long
    form (``{"Ref": "X"}``) in JSON."""

    def __init__(self, name: str, value):
        self.name = name
        self.value = value

    def __repr__(self) -> str:
        return f"!{self.name} {self.value!r}"

    def long_form(self):
        key = "Ref" if self.name == "Ref" else f"Fn::{self.name}"
        if self.name == "GetAtt" and isinstance(self.value, str):
            return {key: self.value.split(".", 1)}
        return {key: _long(self.value)}


def _long(value):
    if isinstance(value, _Tag):
        return value.long_form()
    if isinstance(value, dict):
        return {k: _long(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_long(v) for v in value]
    return value


def ref(name):
    return _Tag("Ref", name)


def sub(text):
    return _Tag("Sub", text)


def if_(condition, yes, no):
    return _Tag("If", [condition, yes, no])


def getatt(path):
    return _Tag("GetAtt", path)


def equals(a, b):
    return _Tag("Equals", [a, b])


NO_VALUE = {"Ref": "AWS::NoValue"}


# -- pieces of a template ------------------------------------------------------------------------


def _parameters(rng) -> dict:
    params = {
        "Environment": {"Type": "String", "AllowedValues": ["dev", "staging", "prod"], "Default": "dev",
                        "Description": "Deployment stage; prod turns on the stricter settings"},
        "DataDomain": {"Type": "String", "Default": rng.choice(DOMAINS),
                       "Description": "Business domain that owns the data"},
        "RetentionDays": {"Type": "Number", "Default": rng.choice([30, 90, 180, 365]), "MinValue": 1},
        "VpcId": {"Type": "AWS::EC2::VPC::Id", "Description": "VPC that reaches the lake privately"},
        "RouteTableIds": {"Type": "CommaDelimitedList", "Description": "Route tables for the endpoint"},
    }
    if rng.random() < 0.5:
        params["EncryptionAlgorithm"] = {"Type": "String", "AllowedValues": ["aws:kms", "AES256"],
                                         "Default": "aws:kms"}
    if rng.random() < 0.3:
        params["ExternalKeyArn"] = {"Type": "String", "Description": "A key managed by the platform team"}
    return params


def _encryption(rng, params, key_ref):
    choice = rng.random()
    if choice < 0.45:
        algorithm, key = "aws:kms", key_ref
    elif choice < 0.6:
        algorithm, key = "AES256", None
    elif choice < 0.7 and "EncryptionAlgorithm" in params:
        algorithm, key = ref("EncryptionAlgorithm"), key_ref
    elif choice < 0.8:
        algorithm, key = if_("IsProd", "aws:kms", "AES256"), key_ref
    elif choice < 0.9 and "ExternalKeyArn" in params:
        algorithm, key = "aws:kms", ref("ExternalKeyArn")
    else:
        return None
    default = {"SSEAlgorithm": algorithm}
    if key is not None:
        default["KMSMasterKeyID"] = key
    rule = {"ServerSideEncryptionByDefault": default}
    if rng.random() < 0.6:
        rule["BucketKeyEnabled"] = True
    return {"ServerSideEncryptionConfiguration": [rule]}


def _public_access(rng):
    choice = rng.random()
    if choice < 0.1:
        return None
    settings = {name: True for name in ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls",
                                        "RestrictPublicBuckets")}
    if choice < 0.25:
        settings[rng.choice(list(settings))] = False
    elif choice < 0.35:
        settings["BlockPublicPolicy"] = if_("IsProd", True, False)
    elif choice < 0.45:
        settings["RestrictPublicBuckets"] = "true"  # booleans written as strings happen
    return settings


def _lifecycle(rng, area):
    choice = rng.random()
    if choice < 0.2:
        return None
    rules = [{
        "Id": f"expire-{area}",
        "Status": "Disabled" if choice < 0.3 else "Enabled",
        "ExpirationInDays": ref("RetentionDays"),
    }]
    if rng.random() < 0.4:
        rules[0]["NoncurrentVersionExpiration"] = {"NoncurrentDays": rng.choice([7, 30, 60])}
    if rng.random() < 0.5:
        rules.append({
            "Id": f"tier-{area}",
            "Status": "Enabled",
            "Transitions": [{"StorageClass": rng.choice(["STANDARD_IA", "INTELLIGENT_TIERING", "GLACIER"]),
                             "TransitionInDays": rng.choice([30, 60, 90])}],
        })
    return {"Rules": rules}


def _bucket(rng, index, area, params, key_ref):
    props = {"BucketName": sub(f"${{AWS::AccountId}}-${{DataDomain}}-{area}-${{Environment}}")}
    encryption = _encryption(rng, params, key_ref)
    if encryption:
        props["BucketEncryption"] = encryption
    public = _public_access(rng)
    if public:
        props["PublicAccessBlockConfiguration"] = public
    lifecycle = _lifecycle(rng, area)
    if lifecycle:
        props["LifecycleConfiguration"] = lifecycle
    props["VersioningConfiguration"] = {"Status": if_("IsProd", "Enabled", "Suspended")
                                        if rng.random() < 0.3 else "Enabled"}
    if area != "logs" and rng.random() < 0.4:
        props["LoggingConfiguration"] = {"DestinationBucketName": ref("LogsBucket"),
                                         "LogFilePrefix": f"{area}/"}
    props["Tags"] = [{"Key": "data-classification", "Value": rng.choice(["internal", "confidential", "public"])}]
    body = {"Type": "AWS::S3::Bucket", "DeletionPolicy": rng.choice(["Retain", "Delete", "Snapshot"])
            if area != "raw" else "Retain", "Properties": props}
    if area == "sandbox":
        body["Condition"] = "IsNotProd"
    if rng.random() < 0.15:
        body["Metadata"] = {"lakelint": {"ignore": [{"id": "LL103", "reason": "objects are removed by the "
                                                     "nightly compaction job", "until": "2030-06-30"}]}}
    return body


def _bucket_policy(rng, bucket_id):
    statements = [{
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [getatt(f"{bucket_id}.Arn"), sub(f"${{{bucket_id}.Arn}}/*")],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }]
    if rng.random() < 0.6:
        statements.append({
            "Sid": "AllowAnalyticsRole",
            "Effect": "Allow",
            "Principal": {"AWS": sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/analytics")},
            "Action": ["s3:GetObject", "s3:ListBucket"],
            "Resource": [getatt(f"{bucket_id}.Arn"), sub(f"${{{bucket_id}.Arn}}/*")],
        })
    if rng.random() < 0.1:
        statements.append({"Sid": "PublicRead", "Effect": "Allow", "Principal": "*",
                           "Action": "s3:GetObject", "Resource": sub(f"${{{bucket_id}.Arn}}/public/*")})
    return {"Type": "AWS::S3::BucketPolicy",
            "Properties": {"Bucket": ref(bucket_id), "PolicyDocument": {"Version": "2012-10-17",
                                                                       "Statement": statements}}}


def _endpoint(rng, bucket_ids):
    props = {"VpcId": ref("VpcId"), "VpcEndpointType": "Gateway",
             "ServiceName": sub("com.amazonaws.${AWS::Region}.s3"), "RouteTableIds": ref("RouteTableIds")}
    choice = rng.random()
    if choice < 0.5:
        props["PolicyDocument"] = {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
            "Resource": [sub(f"${{{b}.Arn}}/*") for b in bucket_ids[:3]],
            "Condition": {"StringEquals": {"aws:PrincipalAccount": ref("AWS::AccountId")}}}]}
    elif choice < 0.75:
        props["PolicyDocument"] = {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*",
                                                  "Resource": "*"}]}
    return {"Type": "AWS::EC2::VPCEndpoint", "Properties": props}


def template(index: int, seed: int = 6) -> dict:
    """The ``index``-th template of a corpus: a plain dict with ``_Tag`` intrinsics."""
    rng = random.Random(seed * 1_000_003 + index)
    params = _parameters(rng)
    resources = {
        "LakeKey": {"Type": "AWS::KMS::Key", "DeletionPolicy": "Retain", "Properties": {
            "Description": sub("Data lake key for ${DataDomain}"), "EnableKeyRotation": rng.random() < 0.8,
            "KeyPolicy": {"Version": "2012-10-17", "Statement": [{
                "Sid": "AccountAdmin", "Effect": "Allow",
                "Principal": {"AWS": sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root")},
                "Action": "kms:*", "Resource": "*"}]}}},
    }
    key_ref = getatt("LakeKey.Arn")
    areas = ["logs"] + rng.sample([a for a in AREAS if a != "logs"], rng.randint(2, 3))
    bucket_ids = []
    for number, area in enumerate(areas):
        bucket_id = f"{area.capitalize()}Bucket"
        bucket_ids.append(bucket_id)
        resources[bucket_id] = _bucket(rng, number, area, params, key_ref)
        if area != "logs" and rng.random() < 0.7:
            resources[f"{area.capitalize()}BucketPolicy"] = _bucket_policy(rng, bucket_id)
    resources["LakeGatewayEndpoint"] = _endpoint(rng, bucket_ids[1:])
    resources["LakeDatabase"] = {"Type": "AWS::Glue::Database", "Properties": {
        "CatalogId": ref("AWS::AccountId"),
        "DatabaseInput": {"Name": sub("${DataDomain}_${Environment}"),
                          "LocationUri": sub(f"s3://${{{bucket_ids[1]}}}/tables/")}}}
    resources["QueryWorkGroup"] = {"Type": "AWS::Athena::WorkGroup", "Properties": {
        "Name": sub("${DataDomain}-${Environment}"),
        "WorkGroupConfiguration": {"EnforceWorkGroupConfiguration": True, "ResultConfiguration": {
            "OutputLocation": sub(f"s3://${{{bucket_ids[-1]}}}/athena/"),
            "EncryptionConfiguration": {"EncryptionOption": if_("IsProd", "SSE_KMS", "SSE_S3"),
                                        "KmsKey": if_("IsProd", key_ref, NO_VALUE)}}}}}
    outputs = {f"{b}Name": {"Value": ref(b), "Export": {"Name": sub(f"${{AWS::StackName}}-{b}")}}
               for b in bucket_ids[:3]}
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"Data lake stack {index}: {', '.join(areas)} buckets, catalog and private access",
        "Parameters": params,
        "Conditions": {"IsProd": equals(ref("Environment"), "prod"),
                       "IsNotProd": _Tag("Not", [{"Condition": "IsProd"}])},
        "Resources": resources,
        "Outputs": outputs,
    }


# -- rendering -----------------------------------------------------------------------------------


def _scalar(value, flow: bool = False) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    plain_ok = (text and text.strip() == text and text[0] not in "!&*{}[]|>'\"%@`#,?:-"
                and ": " not in text and " #" not in text and text.lower() not in
                ("true", "false", "yes", "no", "on", "off", "null", "~", "y", "n")
                and not _looks_numeric(text) and not (flow and any(c in text for c in ",[]{}")))
    return text if plain_ok else json.dumps(text)


def _looks_numeric(text: str) -> bool:
    try:
        float(text.replace("_", ""))
        return True
    except ValueError:
        return text[:1].isdigit()


def _inline(value, flow: bool = False) -> str | None:
    """A one-line flow rendering for short values, or None when block style reads better."""
    if isinstance(value, _Tag):
        inner = _inline(value.value, flow)
        return None if inner is None else f"!{value.name} {inner}"
    if isinstance(value, list):
        parts = [_inline(v, flow=True) for v in value]
        if any(p is None for p in parts):
            return None
        text = "[" + ", ".join(parts) + "]"
        return text if len(text) <= 70 else None
    if isinstance(value, dict):
        if value == NO_VALUE:
            return "!Ref AWS::NoValue"
        return None if value else "{}"
    return _scalar(value, flow)


def _yaml(value, indent: int, lines: list) -> None:
    pad = " " * indent
    if isinstance(value, dict):
        for key, item in value.items():
            inline = _inline(item)
            if inline is not None:
                lines.append(f"{pad}{key}: {inline}")
            elif isinstance(item, _Tag):
                lines.append(f"{pad}{key}: !{item.name}")
                _yaml(item.value, indent + 2, lines)
            else:
                lines.append(f"{pad}{key}:")
                _yaml(item, indent + 2, lines)
    elif isinstance(value, list):
        for item in value:
            inline = _inline(item)
            if inline is not None:
                lines.append(f"{pad}- {inline}")
            elif isinstance(item, _Tag):
                lines.append(f"{pad}- !{item.name}")
                _yaml(item.value, indent + 2, lines)
            elif isinstance(item, dict):
                sub_lines = []
                _yaml(item, indent + 2, sub_lines)
                sub_lines[0] = f"{pad}- {sub_lines[0][indent + 2:]}"
                lines.extend(sub_lines)
            else:
                lines.append(f"{pad}-")
                _yaml(item, indent + 2, lines)
    else:
        lines.append(f"{pad}{_scalar(value)}")


def render_yaml(data: dict) -> str:
    lines = []
    for section, value in data.items():
        inline = _inline(value)
        if inline is not None and not isinstance(value, dict):
            lines.append(f"{section}: {inline}")
        else:
            lines.append(f"{section}:")
            _yaml(value, 2, lines)
    return "\n".join(lines) + "\n"


def render_json(data: dict) -> str:
    return json.dumps(_long(data), indent=2) + "\n"


def write_corpus(out_dir: Path, count: int, seed: int = 6, json_every: int = 10) -> list:
    """Write ``count`` templates into ``out_dir``; returns their paths, sorted."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        data = template(index, seed)
        if json_every and index % json_every == json_every - 1:
            path = out_dir / f"lake-{index:05d}.json"
            text = render_json(data)
        else:
            path = out_dir / f"lake-{index:05d}.yaml"
            text = render_yaml(data)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--json-every", type=int, default=10,
                        help="write every Nth template as JSON (0: YAML only)")
    args = parser.parse_args(argv)
    paths = write_corpus(args.out_dir, args.count, args.seed, args.json_every)
    print(f"wrote {len(paths)} templates to {args.out_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
