"""Tenant files: a greedy path route and a binary upload."""

import deployless as pc
from flask import Blueprint, request, g, jsonify  # noqa: F401 (g unused here)

from app.features.tenant.use_cases import describe_file, store_logo
from app.shared.errors import AppError, error_response

pc.configure(
    memory=256,
    description="Tenant files and branding",
)

tenant_bp = Blueprint("tenant_bp", __name__, url_prefix="/tenants")
tenant_bp.register_error_handler(AppError, error_response)


@tenant_bp.get("/")
def tenant_index_route():
    # Flask's rule is "/tenants/"; API Gateway routes it as /tenants.
    return jsonify({"service": "tenants", "routes": ["/tenants/<tenant_id>/files/<path:key>", "/tenants/<tenant_id>/logo"]}), 200


@tenant_bp.route("/<tenant_id>/files/<path:key>", methods=["GET"])
def get_tenant_file_route(tenant_id, key):
    return jsonify(describe_file(tenant_id, key)), 200


@tenant_bp.put("/<tenant_id>/logo")
def upload_tenant_logo_route(tenant_id):
    body = request.get_data(cache=False)
    return jsonify(store_logo(tenant_id, body, request.content_type)), 200
