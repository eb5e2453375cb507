"""Token issuing (client credentials) and introspection."""

import hmac

from app.shared.config import ALL_SCOPES, get_settings
from app.shared.errors import UnauthorizedError, ValidationError
from app.shared.tokens import TokenError, issue_token, verify_token


def _required_str(data, name):
    value = data.get(name)
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("%s is required and must be a non-empty string" % name, field=name)
    return value.strip()


def issue_access_token(data):
    """Client-credentials grant. Returns the token response dict."""
    settings = get_settings()
    client_id = _required_str(data, "client_id")
    client_secret = _required_str(data, "client_secret")
    tenant_id = _required_str(data, "tenant_id")
    # Compare both, always, so timing does not tell which one was wrong.
    id_ok = hmac.compare_digest(client_id.encode("utf-8"), settings.client_id.encode("utf-8"))
    secret_ok = hmac.compare_digest(client_secret.encode("utf-8"), settings.client_secret.encode("utf-8"))
    if not (id_ok and secret_ok):
        raise UnauthorizedError("invalid client credentials")

    user_id = data.get("user_id", client_id)
    if not isinstance(user_id, str) or not user_id.strip():
        raise ValidationError("user_id must be a non-empty string", field="user_id")

    scopes = data.get("scopes")
    if scopes is None:
        scopes = list(ALL_SCOPES)
    if not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes):
        raise ValidationError("scopes must be a list of strings", field="scopes")
    unknown = [s for s in scopes if s not in ALL_SCOPES]
    if unknown:
        raise ValidationError("unknown scope(s): " + ", ".join(unknown), field="scopes", unknown_scopes=unknown)
    scopes = list(dict.fromkeys(scopes))

    expires_in = data.get("expires_in", settings.token_expiry)
    if isinstance(expires_in, bool) or not isinstance(expires_in, int) or not 1 <= expires_in <= settings.token_expiry:
        raise ValidationError(
            "expires_in must be an integer between 1 and %d" % settings.token_expiry, field="expires_in"
        )

    token = issue_token(tenant_id, user_id.strip(), scopes, expires_in=expires_in)
    return {
        "access_token": token,
        "token_type": "Bearer",
        "expires_in": expires_in,
        "tenant_id": tenant_id,
        "user_id": user_id.strip(),
        "scopes": scopes,
    }


def introspect(data):
    """{"active": true, ...claims} for a valid token, {"active": false, "reason"} otherwise."""
    token = _required_str(data, "token")
    try:
        claims = verify_token(token)
    except TokenError as exc:
        return {"active": False, "reason": str(exc)}
    return {
        "active": True,
        "tenant_id": claims["tenant_id"],
        "user_id": claims["user_id"],
        "scopes": claims["scopes"],
        "iat": claims.get("iat"),
        "exp": claims["exp"],
    }
