"""Tenant files: path echo and logo upload digest."""

import hashlib

from app.shared.errors import ValidationError

MAX_LOGO_BYTES = 5 * 1024 * 1024


def describe_file(tenant_id, key):
    return {"tenant_id": tenant_id, "key": key}


def store_logo(tenant_id, body, content_type):
    if not body:
        raise ValidationError("request body is empty: send the logo bytes")
    if len(body) > MAX_LOGO_BYTES:
        raise ValidationError("logo larger than %d bytes" % MAX_LOGO_BYTES)
    return {
        "tenant_id": tenant_id,
        "bytes": len(body),
        "sha256": hashlib.sha256(body).hexdigest(),
        "content_type": content_type,
    }
