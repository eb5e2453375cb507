"""User management: CRUD under /users, a split export Lambda and a daily cron."""

import deployless as pc
from flask import Blueprint, request, g, jsonify

from app.features.user.schemas import CreateUserRequest, UpdateUserRequest
from app.features.user.use_cases import (
    cleanup_expired_sessions,
    create_user,
    delete_user,
    export_users,
    get_user,
    list_users,
    update_user,
)
from app.shared.decorators import require_auth, require_scopes
from app.shared.errors import AppError, error_response, json_body

# ---- Tables of the "user" feature ----
users_table = pc.DynamoDB(
    "ums-users",
    pk="tenant_id",
    pk_type="S",
    sk="user_id",
    sk_type="S",
    gsi=[
        {
            "name": "EmailIndex",
            "pk": "email",
            "pk_type": "S",
        }
    ],
    ttl_attribute="expires_at",
    deletion_policy="Retain",
)
sessions_table = pc.DynamoDB(
    "ums-sessions",
    pk="session_id",
    ttl_attribute="expires_at",
)

# ---- Lambda configuration for the "user" feature ----
pc.configure(
    memory=512,
    timeout=30,
    description="User Management Service",
    resources={
        "users": users_table,
        "sessions": sessions_table,
    },
    # Lambda gets no access to a table unless a policy grants it.
    policies=[
        {"DynamoDBCrudPolicy": {"TableName": pc.Ref(users_table)}},
        {"DynamoDBCrudPolicy": {"TableName": pc.Ref(sessions_table)}},
    ],
    env={
        "TOKEN_EXPIRY": "3600",
    },
)


# ---- Cron: daily cleanup of expired sessions ----
@pc.cron(
    schedule="rate(24 hours)",
    memory=128,
    timeout=60,
    description="Cleanup of expired sessions",
)
def cleanup_sessions(event, context):
    return cleanup_expired_sessions()


# ---- Flask Blueprint ----
user_bp = Blueprint("user_bp", __name__, url_prefix="/users")
user_bp.register_error_handler(AppError, error_response)


@user_bp.route("", methods=["POST"])
@require_auth
@require_scopes(["ums:users:create"])
def create_user_route():
    data = json_body(request)
    req = CreateUserRequest(
        email=data.get("email"),
        password=data.get("password"),
        scopes=data.get("scopes", []),
    )
    response = create_user(req, g.user["tenant_id"])
    return jsonify(response.to_dict()), 201


@user_bp.route("", methods=["GET"])
@require_auth
@require_scopes(["ums:users:read"])
def list_users_route():
    response = list_users(g.user["tenant_id"])
    return jsonify(response.to_dict()), 200


@user_bp.route("/<user_id>", methods=["GET"])
@require_auth
@require_scopes(["ums:users:read"])
def get_user_route(user_id):
    response = get_user(g.user["tenant_id"], user_id)
    return jsonify(response.to_dict()), 200


@user_bp.route("/<user_id>", methods=["PUT"])
@require_auth
@require_scopes(["ums:users:update"])
def update_user_route(user_id):
    data = json_body(request)
    req = UpdateUserRequest(
        email=data.get("email"),
        password=data.get("password"),
        scopes=data.get("scopes"),
    )
    response = update_user(g.user["tenant_id"], user_id, req)
    return jsonify(response.to_dict()), 200


@user_bp.route("/<user_id>", methods=["DELETE"])
@require_auth
@require_scopes(["ums:users:delete"])
def delete_user_route(user_id):
    delete_user(g.user["tenant_id"], user_id)
    return "", 204


# ---- Split Lambda: heavy export ----
@pc.route(memory=1024, timeout=120, description="Bulk export of users")
@user_bp.route("/export", methods=["POST"])
@require_auth
@require_scopes(["ums:users:export"])
def export_users_route():
    # Served by its own Lambda (ExportUsersRouteFunction).
    response = export_users(g.user["tenant_id"])
    return jsonify(response.to_dict()), 200
