from flask import Blueprint
import deployless as pc

bp = Blueprint("x", __name__)


@bp.get("/x")
def x():
    return {}


@pc.cron(schedule="rate(1 hour)")  # inherits the feature's layers: reported once
def tick(event, context):
    pass


L = "arn:aws:lambda:us-east-1:123456789012:layer:l:1"
pc.configure(layers=[L, L + "0", L + "1", L + "2", L + "3", L + "4"])  # ERROR: E45
