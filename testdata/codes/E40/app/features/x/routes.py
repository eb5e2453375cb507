from flask import Blueprint
import deployless as pc

key = pc.KMS(alias="demo/data", env_var="AWS_DEFAULT_REGION")  # ERROR: E40
lives = pc.DynamoDB("9lives", pk="id")  # ERROR: E40

pc.configure(resources={"key": key, "lives": lives}, env={
    "APP_MODE": "api",
    "AWS_SESSION_TOKEN": "t",  # ERROR: E40
})

bp = Blueprint("x", __name__)


@bp.get("/x")
def x():
    return {}


@pc.cron("rate(1 day)", env={"LAMBDA_TASK_ROOT": "/tmp"})  # ERROR: E40
def nightly(event, context):
    return {}


@pc.lambda_function(env={"9LIVES": "1"})  # ERROR: E40
def worker(event, context):
    return {}
