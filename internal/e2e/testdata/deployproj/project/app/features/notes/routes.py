from flask import Blueprint, jsonify
import deployless as pc

notes = pc.DynamoDB("deployproj-notes", pk="note_id")
jobs = pc.SQS("deployproj-jobs")
host = pc.SSMParameter("/deployproj/db/host", value="db.internal", description="database host")

pc.configure(
    memory=256,
    resources={"notes": notes, "jobs": jobs, "host": host},
    policies=[{"DynamoDBCrudPolicy": {"TableName": pc.Ref(notes)}}],
)

bp = Blueprint("notes", __name__, url_prefix="/notes")


@bp.get("")
def list_notes():
    return jsonify([])
