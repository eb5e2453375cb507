# ---------------------------------------------------------------------------
# SSM SecureStrings — SECRET_* variables of the env file (secrets_kms is set)
# and pc.SSMParam(..., secure=True) — cannot be resolved by CloudFormation
# into Lambda environment variables, so the template holds
# "deployless-ssm-secure:<parameter name>[:<version>]" and they are read
# here, once per cold start, before the app is imported: the app sees the
# plain value in os.environ as with String parameters. boto3 comes with the
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
    # A selector is a parameter name (which never holds ":"), then
    # ":<version>" when one is pinned, as GetParameters takes it.
    selectors = sorted(set(wanted.values()))
    values = {}
    for i in range(0, len(selectors), 10):  # GetParameters takes at most 10 names
        batch = selectors[i:i + 10]
        out = client.get_parameters(Names=batch, WithDecryption=True)
        if out.get("InvalidParameters"):
            raise RuntimeError("deployless bootstrap: missing SSM parameters %s (for the env file's SECRET_*, run "
                               "`deployless secrets push`; a pc.SSMParam must exist in this account and region)"
                               % ", ".join(out["InvalidParameters"]))
        for sel in batch:
            values[sel] = _secure_value(sel, out["Parameters"])
    for key, sel in wanted.items():
        os.environ[key] = values[sel]


def _secure_value(selector, parameters):
    # SSM answers "name:version" with Name "name", that Version and (on AWS)
    # Selector ":version"; a plain name with the latest version.
    name, pinned, version = selector.partition(":")
    same = [p for p in parameters if p["Name"] == name]
    if pinned:
        same = [p for p in same if p.get("Selector") == ":" + version or str(p.get("Version")) == version]
    else:
        same = [p for p in same if not p.get("Selector")] or same
    if not same:
        raise RuntimeError("deployless bootstrap: SSM returned no value for %s" % selector)
    return max(same, key=lambda p: p.get("Version") or 0)["Value"]


_resolve_secure_secrets()
