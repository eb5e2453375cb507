from flask import Blueprint

from . import tasks  # noqa: F401

bp = Blueprint("notes", __name__, url_prefix="/notes")


@bp.get("/<int:note_id>")
def note(note_id):
    return {"id": note_id}
