from flask import Blueprint
import deployless as pc

# Two SecureStrings (one pinned to a version) and a plain String parameter
# that CloudFormation resolves at deploy time.
pc.configure(env={
    "DB_PASSWORD": pc.SSMParam("/ledger/db/password", secure=True),
    "API_KEY": pc.SSMParam("/ledger/api/key", secure=True, version=3),
    "DB_HOST": pc.SSMParam("/ledger/db/host"),
})

bp = Blueprint("accounts", __name__, url_prefix="/accounts")


@bp.get("")
def list_accounts():
    return []


# A cron inherits the feature's env (and so its grants) and adds its own.
@pc.cron(schedule="rate(1 day)", env={"EXPORT_TOKEN": pc.SSMParam("/ledger/export/token", secure=True)})
def export(event, context):
    return {"ok": True}
