"""View decorators for bearer-token auth and scope checks.

Use them under the Flask route decorator, require_auth first:

    @bp.route("", methods=["GET"])
    @require_auth
    @require_scopes(["ums:users:read"])
    def view(): ...
"""

import functools

from flask import g, request

from app.shared.errors import ForbiddenError, UnauthorizedError, error_response
from app.shared.tokens import TokenError, verify_token


def bearer_token():
    """The token of an "Authorization: Bearer <token>" header, or None."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def require_auth(view):
    """401 unless the request carries a valid token; sets flask.g.user."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        token = bearer_token()
        if token is None:
            return error_response(UnauthorizedError("missing bearer token"))
        try:
            claims = verify_token(token)
        except TokenError as exc:
            return error_response(UnauthorizedError(str(exc)))
        g.user = {
            "tenant_id": claims["tenant_id"],
            "user_id": claims["user_id"],
            "scopes": list(claims["scopes"]),
        }
        return view(*args, **kwargs)

    return wrapper


def require_scopes(scopes):
    """403 unless g.user holds every scope in `scopes` (401 without g.user)."""
    required = list(scopes)

    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            user = getattr(g, "user", None)
            if user is None:
                return error_response(UnauthorizedError("missing bearer token"))
            missing = [s for s in required if s not in user["scopes"]]
            if missing:
                return error_response(
                    ForbiddenError(
                        "missing required scope(s): " + ", ".join(missing),
                        missing_scopes=missing,
                    )
                )
            return view(*args, **kwargs)

        return wrapper

    return decorator
