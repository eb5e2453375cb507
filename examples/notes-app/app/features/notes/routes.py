"""The notes feature: an HTML page, a JSON API (a MethodView) and a nightly
task (tasks.py)."""
from flask import Blueprint, jsonify, render_template, request
from flask.views import MethodView
from flask_login import current_user, login_required

from app.extensions import db
from app.models import Note

from . import tasks  # noqa: F401

bp = Blueprint("notes", __name__, url_prefix="/notes")


@bp.get("/")
@login_required
def index():
    notes = db.session.execute(
        db.select(Note).filter_by(user_id=current_user.id, archived=False).order_by(Note.id)).scalars().all()
    return render_template("notes.html", notes=notes)


@bp.post("/api")
@login_required
def create():
    text = str((request.get_json(silent=True) or {}).get("text", "")).strip()
    if not text:
        return jsonify(error="invalid", message="text is required"), 400
    note = Note(user_id=current_user.id, text=text)
    db.session.add(note)
    db.session.commit()
    return jsonify(id=note.id, text=note.text), 201


class NoteAPI(MethodView):
    decorators = [login_required]

    def _note(self, note_id):
        return db.first_or_404(db.select(Note).filter_by(id=note_id, user_id=current_user.id))

    def get(self, note_id):
        note = self._note(note_id)
        return jsonify(id=note.id, text=note.text, archived=note.archived)

    def delete(self, note_id):
        db.session.delete(self._note(note_id))
        db.session.commit()
        return "", 204


bp.add_url_rule("/api/<int:note_id>", view_func=NoteAPI.as_view("note_api"))
