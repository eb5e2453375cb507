"""Deploy the data resources of a deployless template to a moto_server and
read them back through the AWS service APIs.

Usage: python moto_deploy.py <template.yaml> <endpoint_url>

1. Runs the offline SAM transform (like internal/compiler/testdata/
   sam_translate.py: local CodeUri folders become s3:// objects first, managed
   policy names resolve offline).
2. Keeps only the data resources (DynamoDB tables, S3 buckets, SQS queues,
   KMS keys and aliases, SSM parameters) and creates them as one stack with
   cloudformation.create_stack against the endpoint, waiting for
   CREATE_COMPLETE.
3. Reads every resource back through its service API (never the template)
   and prints one JSON object on stdout.

Where moto does not apply or cannot report a declared setting, the JSON says
so explicitly, in place of the setting, as
    {"unsupported_by_moto": <why>, "declared": <template value>,
     "read_back": <what the API returned>}
and every such case is also listed under "moto_gaps". Such a marker is only
written when the read-back shows the setting was NOT applied; if moto ever
applies it, the real read-back value is reported instead.
"""
import importlib.util
import json
import os
import sys
import time

# Dummy credentials and region, before boto3 is imported; never the caller's
# real ones (the endpoint is a local moto_server anyway).
for _k, _v in {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}.items():
    os.environ.setdefault(_k, _v)

import boto3  # noqa: E402
import yaml  # noqa: E402
from botocore.config import Config  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

REGION = "us-east-1"
STACK = "deployless-moto"

# Only these are deployed. moto does not run the SAM functions' code (nor
# meaningfully enforce IAM or serve API Gateway), so deploying the Lambda /
# IAM / API resources would prove nothing here; those parts are proven
# elsewhere (cfn-lint + the SAM transform in internal/compiler, and the
# handlers run as Lambda would in internal/e2e/handler_test.go). The data
# resources do not reference the functions, so the subset is self-contained.
DATA_TYPES = {
    "AWS::DynamoDB::Table",
    "AWS::S3::Bucket",
    "AWS::SQS::Queue",
    "AWS::KMS::Key",
    "AWS::KMS::Alias",
    "AWS::SSM::Parameter",
}

MOTO = "moto"
try:
    import moto  # only for the version in the gap messages

    MOTO = "moto " + moto.__version__
except Exception:  # pragma: no cover - moto is normally in the same venv
    pass

GAPS = []
# Changes made to the deployed template only to get around a moto bug, each
# with its reason; the template itself is correct CloudFormation.
ADAPTATIONS = []


def gap(resource, setting, why, declared, read_back):
    """The marker written in place of a setting moto did not apply."""
    GAPS.append({"resource": resource, "setting": setting, "reason": why})
    return {"unsupported_by_moto": why, "declared": declared, "read_back": read_back}


# ---- transform ---------------------------------------------------------------


def _load_sam_translate():
    # One copy of the offline transform: the golden tests' script.
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "..", "compiler", "testdata", "sam_translate.py")
    spec = importlib.util.spec_from_file_location("sam_translate", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


sam_transform = _load_sam_translate().sam_transform


def data_subset(cfn):
    resources = {k: v for k, v in cfn["Resources"].items() if v["Type"] in DATA_TYPES}
    if not resources:
        sys.exit("the transformed template has no data resources")
    # Outputs, Conditions etc. refer to the left-out resources; none is needed.
    out = {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}
    adapt_for_moto(resources)
    if "Description" in cfn:
        out["Description"] = cfn["Description"]
    return out


def json_string_with_intrinsics(value):
    """value serialised as a JSON string by CloudFormation itself: every
    intrinsic function inside (a string-valued Ref / Fn::*) becomes a piece of
    an Fn::Join, so CloudFormation still resolves it."""
    intrinsics = []

    def walk(v):
        if isinstance(v, dict):
            if len(v) == 1 and (next(iter(v)) == "Ref" or next(iter(v)).startswith("Fn::")):
                intrinsics.append(v)
                return "\x00%d\x00" % (len(intrinsics) - 1)
            return {k: walk(x) for k, x in v.items()}
        if isinstance(v, list):
            return [walk(x) for x in v]
        return v

    text = json.dumps(walk(value), separators=(",", ":"))
    parts = text.split("\\u0000")
    pieces = [parts[0]]
    for i in range(1, len(parts), 2):
        pieces.append(intrinsics[int(parts[i])])
        pieces.append(parts[i + 1])
    return {"Fn::Join": ["", [p for p in pieces if p != ""]]}


def adapt_for_moto(resources):
    for logical, r in sorted(resources.items()):
        props = r.get("Properties") or {}
        if r["Type"] == "AWS::KMS::Key" and props.get("Tags"):
            # CloudFormation's AWS::KMS::Key Tags are [{Key, Value}] (as the
            # template has them); moto's handler hands them unchanged to its
            # tagger, which wants the KMS API's [{TagKey, TagValue}] and fails
            # the stack with KeyError 'TagKey'.
            props["Tags"] = [{"TagKey": t["Key"], "TagValue": t["Value"]} for t in props["Tags"]]
            ADAPTATIONS.append({
                "resource": logical,
                "change": "Tags [{Key,Value}] -> [{TagKey,TagValue}]",
                "reason": MOTO + ": the AWS::KMS::Key CloudFormation handler passes Tags to a tagger that "
                "expects TagKey/TagValue (KeyError: 'TagKey')",
            })
        if r["Type"] == "AWS::KMS::Key" and isinstance(props.get("KeyPolicy"), dict):
            # CloudFormation takes KeyPolicy as a JSON object (as the template
            # has it); moto stores the object as is and later json.loads() it
            # on every KMS call on the key (describe_key answers HTTP 500,
            # TypeError). Hand moto the same policy as a JSON string, its
            # intrinsic functions kept, through Fn::Join.
            props["KeyPolicy"] = json_string_with_intrinsics(props["KeyPolicy"])
            ADAPTATIONS.append({
                "resource": logical,
                "change": "KeyPolicy object -> the same policy as a JSON string (Fn::Join)",
                "reason": MOTO + ": the AWS::KMS::Key CloudFormation handler stores an object KeyPolicy that "
                "its KMS API then json.loads() (TypeError, HTTP 500)",
            })
        if r["Type"] == "AWS::SSM::Parameter" and isinstance(props.get("Tags"), dict):
            # CloudFormation's AWS::SSM::Parameter Tags is a {key: value} map
            # (as the template has it); moto's handler iterates it as a list
            # of {Key, Value} (TypeError: string indices must be integers).
            props["Tags"] = [{"Key": k, "Value": v} for k, v in sorted(props["Tags"].items())]
            ADAPTATIONS.append({
                "resource": logical,
                "change": "Tags {k: v} -> [{Key,Value}]",
                "reason": MOTO + ": the AWS::SSM::Parameter CloudFormation handler reads Tags as a list of "
                "{Key, Value}, not CloudFormation's map (TypeError)",
            })


# ---- deploy ------------------------------------------------------------------


def deploy(cfn_client, body, timeout=60):
    try:
        cfn_client.create_stack(StackName=STACK, TemplateBody=json.dumps(body))
    except Exception as e:
        # moto runs the resource handlers inside CreateStack; a handler that
        # crashes makes it answer HTTP 500 (the traceback is in its log).
        sys.exit("create_stack failed (moto_server's log has the traceback): %s" % e)
    deadline = time.monotonic() + timeout
    while True:
        stack = cfn_client.describe_stacks(StackName=STACK)["Stacks"][0]
        status = stack["StackStatus"]
        if status == "CREATE_COMPLETE":
            return
        if not status.endswith("_IN_PROGRESS") or time.monotonic() > deadline:
            events = cfn_client.describe_stack_events(StackName=STACK)["StackEvents"]
            for ev in reversed(events):
                print(
                    "event: %s %s %s %s"
                    % (
                        ev.get("LogicalResourceId"),
                        ev.get("ResourceType"),
                        ev.get("ResourceStatus"),
                        ev.get("ResourceStatusReason", ""),
                    ),
                    file=sys.stderr,
                )
            sys.exit("stack %s ended in %s (%s)" % (STACK, status, stack.get("StackStatusReason", "")))
        time.sleep(0.2)


# ---- read back ---------------------------------------------------------------


def err_code(e):
    return e.response.get("Error", {}).get("Code", "")


def read_tables(ddb, declared):
    out = {}
    for props in declared:
        name = props["TableName"]
        t = ddb.describe_table(TableName=name)["Table"]
        r = {
            "KeySchema": t["KeySchema"],
            "AttributeDefinitions": t["AttributeDefinitions"],
            "BillingMode": t.get("BillingModeSummary", {}).get("BillingMode", "PROVISIONED"),
            "ProvisionedThroughput": {
                "ReadCapacityUnits": t["ProvisionedThroughput"]["ReadCapacityUnits"],
                "WriteCapacityUnits": t["ProvisionedThroughput"]["WriteCapacityUnits"],
            },
            "GlobalSecondaryIndexes": [
                {
                    "IndexName": g["IndexName"],
                    "KeySchema": g["KeySchema"],
                    "Projection": g["Projection"],
                    "ProvisionedThroughput": {
                        k: g.get("ProvisionedThroughput", {}).get(k)
                        for k in ("ReadCapacityUnits", "WriteCapacityUnits")
                    },
                }
                for g in t.get("GlobalSecondaryIndexes", [])
            ],
            "StreamSpecification": t.get("StreamSpecification"),
            "LatestStreamArn": t.get("LatestStreamArn"),
        }

        ttl = ddb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
        want = props.get("TimeToLiveSpecification")
        if want and want.get("Enabled") and ttl.get("TimeToLiveStatus") != "ENABLED":
            r["TimeToLive"] = gap(
                name, "TimeToLiveSpecification",
                MOTO + ": the AWS::DynamoDB::Table CloudFormation handler ignores TimeToLiveSpecification",
                want, ttl)
        else:
            r["TimeToLive"] = ttl

        try:
            pitr = ddb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
            pitr = pitr.get("PointInTimeRecoveryDescription", {})
            want = props.get("PointInTimeRecoverySpecification")
            if want and want.get("PointInTimeRecoveryEnabled") and pitr.get("PointInTimeRecoveryStatus") != "ENABLED":
                r["PointInTimeRecovery"] = gap(
                    name, "PointInTimeRecoverySpecification",
                    MOTO + ": the AWS::DynamoDB::Table CloudFormation handler ignores PointInTimeRecoverySpecification",
                    want, pitr)
            else:
                r["PointInTimeRecovery"] = {"PointInTimeRecoveryStatus": pitr.get("PointInTimeRecoveryStatus")}
        except ClientError as e:
            r["PointInTimeRecovery"] = gap(name, "PointInTimeRecoverySpecification",
                                           MOTO + ": describe_continuous_backups failed: " + err_code(e),
                                           props.get("PointInTimeRecoverySpecification"), None)

        sse = t.get("SSEDescription")
        want = props.get("SSESpecification")
        if want and want.get("SSEEnabled") and not sse:
            # moto's handler passes the CloudFormation shape {SSEEnabled} to a
            # model that only understands the API shape {Enabled}.
            r["SSEDescription"] = gap(
                name, "SSESpecification",
                MOTO + ": the AWS::DynamoDB::Table CloudFormation handler passes SSESpecification.SSEEnabled "
                "where the model reads Enabled, so describe_table has no SSEDescription",
                want, sse)
        else:
            r["SSEDescription"] = sse and {"Status": sse.get("Status"), "SSEType": sse.get("SSEType")}
        out[name] = r
    return out


def s3_get(fn, missing_codes, **kw):
    try:
        return fn(**kw)
    except ClientError as e:
        if err_code(e) in missing_codes:
            return None
        raise


def read_buckets(s3, declared):
    out = {}
    why = MOTO + ": the AWS::S3::Bucket CloudFormation handler only applies BucketEncryption and Tags, not %s"
    for props in declared:
        name = props["BucketName"]
        s3.head_bucket(Bucket=name)
        r = {}

        v = s3.get_bucket_versioning(Bucket=name).get("Status")
        want = props.get("VersioningConfiguration")
        if want and want.get("Status") == "Enabled" and v != "Enabled":
            r["Versioning"] = gap(name, "VersioningConfiguration", why % "VersioningConfiguration", want, v)
        else:
            r["Versioning"] = v

        enc = s3_get(s3.get_bucket_encryption, {"ServerSideEncryptionConfigurationNotFoundError"}, Bucket=name)
        r["Encryption"] = enc and enc["ServerSideEncryptionConfiguration"]["Rules"]

        cors = s3_get(s3.get_bucket_cors, {"NoSuchCORSConfiguration"}, Bucket=name)
        want = props.get("CorsConfiguration")
        if want and not cors:
            r["CORSRules"] = gap(name, "CorsConfiguration", why % "CorsConfiguration", want, None)
        else:
            r["CORSRules"] = cors and cors["CORSRules"]

        lc = s3_get(s3.get_bucket_lifecycle_configuration, {"NoSuchLifecycleConfiguration"}, Bucket=name)
        want = props.get("LifecycleConfiguration")
        if want and not lc:
            r["LifecycleRules"] = gap(name, "LifecycleConfiguration", why % "LifecycleConfiguration", want, None)
        else:
            r["LifecycleRules"] = lc and lc["Rules"]

        pab = s3_get(s3.get_public_access_block, {"NoSuchPublicAccessBlockConfiguration"}, Bucket=name)
        want = props.get("PublicAccessBlockConfiguration")
        if want and not pab:
            r["PublicAccessBlock"] = gap(name, "PublicAccessBlockConfiguration",
                                         why % "PublicAccessBlockConfiguration", want, None)
        else:
            r["PublicAccessBlock"] = pab and pab["PublicAccessBlockConfiguration"]
        out[name] = r
    return out


def read_queues(sqs, declared):
    out = {}
    ints = ("VisibilityTimeout", "MessageRetentionPeriod", "DelaySeconds", "MaximumMessageSize",
            "ReceiveMessageWaitTimeSeconds")
    bools = ("FifoQueue", "SqsManagedSseEnabled", "ContentBasedDeduplication")
    for props in declared:
        name = props["QueueName"]
        url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
        attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        r = {"QueueUrl": url, "QueueArn": attrs.get("QueueArn")}
        for k in ints:
            if k in attrs:
                r[k] = int(attrs[k])
        for k in bools:
            if k in attrs:
                r[k] = attrs[k] == "true"
        # Absent, not false, on a standard queue: say so.
        r.setdefault("FifoQueue", False)
        if "RedrivePolicy" in attrs:
            rp = json.loads(attrs["RedrivePolicy"])
            rp["maxReceiveCount"] = int(rp["maxReceiveCount"])
            r["RedrivePolicy"] = rp
        else:
            r["RedrivePolicy"] = None
        out[name] = r
    # Name the dead-letter target too, so a reader need not match ARNs.
    by_arn = {q["QueueArn"]: n for n, q in out.items()}
    for q in out.values():
        if q["RedrivePolicy"]:
            q["RedrivePolicy"]["deadLetterTargetName"] = by_arn.get(q["RedrivePolicy"]["deadLetterTargetArn"])
    return out


def read_key(kms, key_id, props, label):
    md = kms.describe_key(KeyId=key_id)["KeyMetadata"]
    r = {"KeyId": md["KeyId"], "Enabled": md["Enabled"], "KeyState": md.get("KeyState"),
         "Description": md.get("Description")}
    spec, usage = md.get("KeySpec"), md.get("KeyUsage")
    want_spec = props.get("KeySpec", "SYMMETRIC_DEFAULT")
    want_usage = props.get("KeyUsage", "ENCRYPT_DECRYPT")
    if (spec, usage) != (want_spec, want_usage) and (spec, usage) == ("SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT"):
        why = MOTO + ": the AWS::KMS::Key CloudFormation handler always creates SYMMETRIC_DEFAULT / ENCRYPT_DECRYPT keys"
        r["KeySpec"] = gap(label, "KeySpec", why, want_spec, spec)
        r["KeyUsage"] = gap(label, "KeyUsage", why, want_usage, usage)
    else:
        r["KeySpec"], r["KeyUsage"] = spec, usage
    if want_spec == "SYMMETRIC_DEFAULT":
        r["KeyRotationEnabled"] = kms.get_key_rotation_status(KeyId=md["KeyId"])["KeyRotationEnabled"]
    else:
        # AWS only rotates symmetric keys automatically (and answers
        # UnsupportedOperationException for the others): nothing to read.
        r["KeyRotationEnabled"] = "not-applicable-asymmetric"
    return r


def read_keys(kms, cfn_client, declared_keys, aliases_by_key):
    """Aliased keys by their alias, found through list_aliases; keys without
    an alias by their logical id, found through the stack's resources."""
    aliased, unaliased = {}, {}
    listed = {a["AliasName"]: a for a in kms.list_aliases()["Aliases"]}
    for logical, props in sorted(declared_keys.items()):
        alias = aliases_by_key.get(logical)
        if alias:
            a = listed.get(alias)
            if not a or "TargetKeyId" not in a:
                aliased[alias] = {"error": "alias not found through list_aliases"}
                continue
            aliased[alias] = read_key(kms, a["TargetKeyId"], props, alias)
        else:
            phys = cfn_client.describe_stack_resource(StackName=STACK, LogicalResourceId=logical)
            key_id = phys["StackResourceDetail"]["PhysicalResourceId"]
            unaliased[logical] = read_key(kms, key_id, props, logical)
    return aliased, unaliased


def read_parameters(ssm, declared):
    out = {}
    for props in declared:
        p = ssm.get_parameter(Name=props["Name"])["Parameter"]
        out[p["Name"]] = {"Type": p["Type"], "Value": p["Value"]}
        desc = ssm.describe_parameters(ParameterFilters=[{"Key": "Name", "Values": [props["Name"]]}])
        if desc["Parameters"]:
            out[p["Name"]]["Description"] = desc["Parameters"][0].get("Description")
    return out


def main(path, endpoint):
    body = data_subset(sam_transform(path))
    res = body["Resources"]

    def props_of(typ):
        return [r.get("Properties", {}) for r in res.values() if r["Type"] == typ]

    cfg = Config(retries={"max_attempts": 2}, connect_timeout=5, read_timeout=30)

    def client(name):
        return boto3.client(name, region_name=REGION, endpoint_url=endpoint, config=cfg)

    cfn_client = client("cloudformation")
    deploy(cfn_client, body)

    keys = {k: r.get("Properties", {}) for k, r in res.items() if r["Type"] == "AWS::KMS::Key"}
    aliases = {}
    for r in res.values():
        if r["Type"] == "AWS::KMS::Alias":
            target = r["Properties"]["TargetKeyId"]
            if isinstance(target, dict) and "Ref" in target:
                aliases[target["Ref"]] = r["Properties"]["AliasName"]

    aliased_keys, unaliased_keys = read_keys(client("kms"), cfn_client, keys, aliases)
    result = {
        "stack": STACK,
        "deployed_types": sorted({r["Type"] for r in res.values()}),
        "deployed_resources": sorted(res),
        "tables": read_tables(client("dynamodb"), props_of("AWS::DynamoDB::Table")),
        "buckets": read_buckets(client("s3"), props_of("AWS::S3::Bucket")),
        "queues": read_queues(client("sqs"), props_of("AWS::SQS::Queue")),
        "keys": aliased_keys,
        "unaliased_keys": unaliased_keys,
        "parameters": read_parameters(client("ssm"), props_of("AWS::SSM::Parameter")),
        "moto_gaps": GAPS,
        "moto_adaptations": ADAPTATIONS,
    }
    json.dump(result, sys.stdout, indent=1, sort_keys=True, default=str)
    sys.stdout.write("\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python moto_deploy.py <template.yaml> <endpoint_url>")
    main(sys.argv[1], sys.argv[2])
