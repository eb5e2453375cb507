"""Authentication: issue and verify bearer tokens, and who-am-I."""

import deployless as pc
from flask import Blueprint, request, g, jsonify

from app.features.auth.use_cases import introspect, issue_access_token
from app.shared.decorators import require_auth
from app.shared.errors import AppError, error_response, json_body

pc.configure(
    description="Authentication: token issuing and verification",
)

auth_bp = Blueprint("auth_bp", __name__, url_prefix="/auth")
auth_bp.register_error_handler(AppError, error_response)


@auth_bp.route("/token", methods=["POST"])
def issue_token_route():
    return jsonify(issue_access_token(json_body(request))), 200


@auth_bp.post("/verify")
def verify_token_route():
    return jsonify(introspect(json_body(request))), 200


@auth_bp.get("/me")
@require_auth
def me_route():
    return jsonify(g.user), 200
