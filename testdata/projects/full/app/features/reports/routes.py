import deployless as pc
from flask import Blueprint

# The same table as the shared one in orders: one resource, not a clash.
pc.configure(log_retention=7, resources={"audit": pc.DynamoDB("audit-log", pk="event_id", sk="timestamp")})

reports = Blueprint("reports", __name__, url_prefix="/reports")


@reports.route("/", methods=["GET"])
def index():
    return {"reports": []}


@reports.route("/<string:name>")
def one(name):
    return {"name": name}
