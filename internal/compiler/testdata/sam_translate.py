"""Transform a SAM template offline with samtranslator and print the
resulting CloudFormation resource types (one per line)."""
import os
import sys

import yaml
from samtranslator.translator.transform import transform
from samtranslator.public.exceptions import InvalidDocumentException


class _AnyPolicy(dict):
    # Every managed policy name resolves to its AWS-managed ARN, offline.
    def __contains__(self, name):
        return True

    def __missing__(self, name):
        return "arn:aws:iam::aws:policy/" + name

    def get(self, name, default=None):
        return self[name]


class _Loader:
    # No AWS calls.
    def load(self):
        return _AnyPolicy()


def transform_offline(template):
    """The offline SAM transform of a parsed template (raises the transform's
    exceptions). What `sam package` does comes first: local CodeUri and
    ContentUri zips become S3 objects (keyed by the MD5 of their bytes in
    reality; by name here, as no bytes are at hand)."""
    uris = {"AWS::Serverless::Function": "CodeUri", "AWS::Serverless::LayerVersion": "ContentUri"}
    for name, res in template.get("Resources", {}).items():
        props = res.get("Properties") or {}
        key = uris.get(res.get("Type"))
        if key and not str(props.get(key, "")).startswith("s3://"):
            props[key] = "s3://deployless-test/%s.zip" % name
            res["Properties"] = props
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    return transform(template, {}, _Loader())


def sam_transform(path):
    """The offline SAM transform of the template at path (exits 1 with the
    transform's errors)."""
    with open(path) as f:
        template = yaml.safe_load(f)
    try:
        return transform_offline(template)
    except InvalidDocumentException as e:
        for cause in e.causes:
            print("error:", cause.message)
        sys.exit(1)


def main(path):
    out = sam_transform(path)
    for name, res in sorted(out["Resources"].items()):
        print(res["Type"], name)


if __name__ == "__main__":
    main(sys.argv[1])
