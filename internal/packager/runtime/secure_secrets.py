# ---------------------------------------------------------------------------
# SECRET_* variables stored as SSM SecureStrings (secrets_kms is set) cannot
# be resolved by CloudFormation into Lambda environment variables, so the
# template holds "deployless-ssm-secure:<parameter name>" and they are read
# here, once per cold start, before the app is imported: the app sees the
# plain value in os.environ as with String secrets. boto3 comes with the
# Lambda Python runtime; it is only imported when there is something to read.
# ---------------------------------------------------------------------------
def _resolve_secure_secrets():
    import os

    marker = "@SECURE_MARKER@"
    wanted = {k: v[len(marker):] for k, v in os.environ.items() if v.startswith(marker)}
    if not wanted:
        return
    import boto3

    client = boto3.client("ssm")
    names = sorted(set(wanted.values()))
    values = {}
    for i in range(0, len(names), 10):  # GetParameters takes at most 10 names
        out = client.get_parameters(Names=names[i:i + 10], WithDecryption=True)
        if out.get("InvalidParameters"):
            raise RuntimeError("deployless bootstrap: missing SSM parameters %s (run `deployless secrets push`)"
                               % ", ".join(out["InvalidParameters"]))
        for p in out["Parameters"]:
            values[p["Name"]] = p["Value"]
    for key, name in wanted.items():
        os.environ[key] = values[name]


_resolve_secure_secrets()

