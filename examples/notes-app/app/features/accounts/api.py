from flask import Blueprint, jsonify, request
from flask_login import current_user, login_required

from app.extensions import db
from app.models import User

api_bp = Blueprint("accounts_api", __name__, url_prefix="/api/accounts")


@api_bp.post("/users")
def register():
    data = request.get_json(silent=True) or {}
    email = str(data.get("email", "")).strip().lower()
    password = str(data.get("password", ""))
    if "@" not in email or len(password) < 8:
        return jsonify(error="invalid", message="an email and a password of 8 characters or more"), 400
    if db.session.execute(db.select(User).filter_by(email=email)).scalar_one_or_none():
        return jsonify(error="conflict"), 409
    user = User(email=email)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return jsonify(id=user.id, email=user.email), 201


@api_bp.get("/me")
@login_required
def me():
    return jsonify(id=current_user.id, email=current_user.email)
