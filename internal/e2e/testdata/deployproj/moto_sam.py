"""moto side of the `deployless deploy` end-to-end test (deploy_test.go).

Run with the SAM CLI virtualenv's python (boto3 and samcli importable) and
AWS_ENDPOINT_URL pointing at moto_server.

    moto_sam.py seed          create SAM's managed artifacts stack
    moto_sam.py state STACK   print what is deployed, as JSON

seed: `sam deploy --resolve-s3` (and --guided) get their artifacts bucket
from the stack aws-sam-cli-managed-default, which SAM creates with a change
set when it is missing and then requires to have Outputs. moto 5.2.5 never
computes Outputs for a stack created through a change set (ExecuteChangeSet
applies the resources but keeps the output map of the empty template), so SAM
would stop with "Stack aws-sam-cli-managed-default is missing Tags and/or
Outputs information". seed creates that stack with SAM's own template and tag
through CreateStack, which moto does give Outputs; the bucket is then made by
moto's CloudFormation like SAM's would be, and SAM finds and uses it.
"""

import json
import sys

import boto3


def seed():
    # SAM's own template for the managed stack (samcli pinned in
    # scripts/requirements-sam.txt).
    from samcli.lib.bootstrap.bootstrap import SAM_CLI_STACK_NAME, _get_stack_template

    cf = boto3.client("cloudformation")
    cf.create_stack(
        StackName=SAM_CLI_STACK_NAME,
        TemplateBody=_get_stack_template(),
        Tags=[{"Key": "ManagedStackSource", "Value": "AwsSamCli"}],
        Capabilities=["CAPABILITY_IAM"],
    )
    stack = cf.describe_stacks(StackName=SAM_CLI_STACK_NAME)["Stacks"][0]
    print(json.dumps({"stack": SAM_CLI_STACK_NAME, "status": stack["StackStatus"], "outputs": stack.get("Outputs")}))


def state(stack_name):
    cf = boto3.client("cloudformation")
    out = {"stacks": {}}
    for s in cf.describe_stacks()["Stacks"]:
        out["stacks"][s["StackName"]] = {
            "StackStatus": s["StackStatus"],
            "Outputs": {o["OutputKey"]: o["OutputValue"] for o in s.get("Outputs") or []},
            "Tags": {t["Key"]: t["Value"] for t in s.get("Tags") or []},
        }
    if stack_name in out["stacks"]:
        res = cf.list_stack_resources(StackName=stack_name)["StackResourceSummaries"]
        # moto lists the resources it has no model for (the AWS::Serverless::*
        # ones: it does not run the transform) with empty fields.
        out["resources"] = {
            r["LogicalResourceId"]: {"Type": r["ResourceType"], "PhysicalId": r["PhysicalResourceId"]}
            for r in res
            if r.get("LogicalResourceId")
        }
        out["template"] = cf.get_template(StackName=stack_name)["TemplateBody"]
        if not isinstance(out["template"], str):
            out["template"] = json.dumps(out["template"])

    s3 = boto3.client("s3")
    out["buckets"] = {}
    for b in s3.list_buckets()["Buckets"]:
        keys = []
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=b["Name"]):
            keys += [o["Key"] for o in page.get("Contents", [])]
        out["buckets"][b["Name"]] = sorted(keys)

    out["tables"] = sorted(boto3.client("dynamodb").list_tables()["TableNames"])
    urls = boto3.client("sqs").list_queues().get("QueueUrls", [])
    out["queues"] = sorted(u.rsplit("/", 1)[-1] for u in urls)
    ssm = boto3.client("ssm")
    names = [p["Name"] for p in ssm.describe_parameters()["Parameters"]]
    out["parameters"] = {
        n: {k: p[k] for k in ("Type", "Value")}
        for n in names
        for p in [ssm.get_parameter(Name=n, WithDecryption=True)["Parameter"]]
    }
    print(json.dumps(out))


if __name__ == "__main__":
    if sys.argv[1] == "seed":
        seed()
    elif sys.argv[1] == "state":
        state(sys.argv[2])
    else:
        sys.exit(f"unknown command {sys.argv[1]}")
