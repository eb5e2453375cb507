"""HMAC-SHA256 signed bearer tokens (standard library only).

Format: base64url(JSON claims) "." base64url(HMAC-SHA256(secret, first part)),
both without padding. Claims: tenant_id, user_id, scopes, iat, exp.
"""

import base64
import hashlib
import hmac
import json
import time

from app.shared.config import get_settings


class TokenError(Exception):
    pass


def _b64encode(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text):
    padded = text + "=" * (-len(text) % 4)
    return base64.urlsafe_b64decode(padded.encode("ascii"))


def _sign(payload, secret):
    return hmac.new(secret.encode("utf-8"), payload.encode("ascii"), hashlib.sha256).digest()


def issue_token(tenant_id, user_id, scopes, expires_in=None, now=None):
    settings = get_settings()
    now = int(time.time() if now is None else now)
    expires_in = settings.token_expiry if expires_in is None else int(expires_in)
    claims = {
        "tenant_id": tenant_id,
        "user_id": user_id,
        "scopes": list(scopes),
        "iat": now,
        "exp": now + expires_in,
    }
    payload = _b64encode(json.dumps(claims, separators=(",", ":"), sort_keys=True).encode("utf-8"))
    return payload + "." + _b64encode(_sign(payload, settings.signing_secret))


def verify_token(token, now=None):
    """Returns the claims of a valid token or raises TokenError."""
    if not isinstance(token, str) or token.count(".") != 1:
        raise TokenError("malformed token")
    payload, signature = token.split(".")
    try:
        given = _b64decode(signature)
    except (ValueError, UnicodeEncodeError):
        raise TokenError("malformed token")
    try:
        expected = _sign(payload, get_settings().signing_secret)
    except UnicodeEncodeError:
        raise TokenError("malformed token")
    if not hmac.compare_digest(given, expected):
        raise TokenError("invalid token signature")
    try:
        claims = json.loads(_b64decode(payload))
    except ValueError:
        raise TokenError("malformed token")
    if (
        not isinstance(claims, dict)
        or not isinstance(claims.get("tenant_id"), str)
        or not isinstance(claims.get("user_id"), str)
        or not isinstance(claims.get("scopes"), list)
        or not isinstance(claims.get("exp"), int)
    ):
        raise TokenError("malformed token")
    now = int(time.time() if now is None else now)
    if claims["exp"] <= now:
        raise TokenError("token expired")
    return claims
