"""The API token check, as a FastAPI dependency.

Callers send `X-Api-Token: <token>`. The token is SHOP_API_TOKEN from the
environment (set it from a SECRET_ entry of an env_file when you deploy),
"shop-dev-token" when unset. A missing header fails FastAPI's validation
(422); a wrong token is 401.
"""

import hmac
import os
from typing import Annotated

from fastapi import Header, HTTPException, status

DEFAULT_API_TOKEN = "shop-dev-token"


def expected_token() -> str:
    return os.environ.get("SHOP_API_TOKEN") or DEFAULT_API_TOKEN


def require_token(x_api_token: Annotated[str, Header()]) -> str:
    if not hmac.compare_digest(x_api_token.encode("utf-8"), expected_token().encode("utf-8")):
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="invalid API token",
            headers={"WWW-Authenticate": "X-Api-Token"},
        )
    return x_api_token
