"""Runtime settings, read from environment variables.

Values are read on every call (it is cheap) so a Lambda container and a test
that changes ``os.environ`` always see the current value.
"""

import logging
import os
from dataclasses import dataclass

# Every scope a token may carry. A token request may ask for any subset.
ALL_SCOPES = [
    "ums:users:create",
    "ums:users:read",
    "ums:users:update",
    "ums:users:delete",
    "ums:users:export",
]

# Development defaults. Deployments set the real values through env vars
# (for example AUTH_SIGNING_SECRET from a SECRET_ entry of the env_file).
DEFAULT_SIGNING_SECRET = "ums-dev-signing-secret-change-me"
DEFAULT_CLIENT_ID = "ums-dev"
DEFAULT_CLIENT_SECRET = "ums-dev-secret"
DEFAULT_TOKEN_EXPIRY = 3600


@dataclass(frozen=True)
class Settings:
    stage: str
    log_level: str
    token_expiry: int
    signing_secret: str
    client_id: str
    client_secret: str
    users_table: str
    sessions_table: str
    storage_backend: str  # "memory" or "dynamodb"


def _int_env(name, default):
    raw = os.getenv(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        return default
    return value if value > 0 else default


def get_settings():
    users_table = os.getenv("UMS_USERS_TABLE", "")
    sessions_table = os.getenv("UMS_SESSIONS_TABLE", "")
    # STORAGE_BACKEND=memory forces the in-memory store even when the table
    # variables are set (useful with `sam local`); otherwise DynamoDB is used
    # as soon as UMS_USERS_TABLE is set.
    backend = os.getenv("STORAGE_BACKEND", "").strip().lower()
    if backend not in ("memory", "dynamodb"):
        backend = "dynamodb" if users_table else "memory"
    return Settings(
        stage=os.getenv("APP_STAGE", "local"),
        log_level=os.getenv("LOG_LEVEL", "INFO").upper(),
        token_expiry=_int_env("TOKEN_EXPIRY", DEFAULT_TOKEN_EXPIRY),
        signing_secret=os.getenv("AUTH_SIGNING_SECRET") or DEFAULT_SIGNING_SECRET,
        client_id=os.getenv("AUTH_CLIENT_ID") or DEFAULT_CLIENT_ID,
        client_secret=os.getenv("AUTH_CLIENT_SECRET") or DEFAULT_CLIENT_SECRET,
        users_table=users_table,
        sessions_table=sessions_table,
        storage_backend=backend,
    )


def get_logger(name):
    logger = logging.getLogger(name)
    level = getattr(logging, get_settings().log_level, logging.INFO)
    logger.setLevel(level if isinstance(level, int) else logging.INFO)
    return logger
