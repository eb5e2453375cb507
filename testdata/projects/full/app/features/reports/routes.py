import deployless as pc
from flask import Blueprint

pc.configure(log_retention=7)

reports = Blueprint("reports", __name__, url_prefix="/reports")


@reports.route("/", methods=["GET"])
def index():
    return {"reports": []}


@reports.route("/<string:name>")
def one(name):
    return {"name": name}
