"""Use cases of the user feature. Views call these; these call repositories."""

import time
import uuid
from datetime import datetime, timezone

from app.features.user.repositories import session_repository, user_repository
from app.features.user.schemas import ExportResponse, UserListResponse, UserResponse
from app.features.user.use_cases.passwords import hash_password
from app.shared.config import get_logger
from app.shared.errors import ConflictError, NotFoundError

log = get_logger(__name__)


def _now_iso():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _existing(repo, tenant_id, user_id):
    item = repo.get(tenant_id, user_id)
    if item is None:
        raise NotFoundError("user %s not found" % user_id)
    return item


def create_user(req, tenant_id):
    req = req.validated()
    repo = user_repository()
    if repo.find_by_email(tenant_id, req.email) is not None:
        raise ConflictError("a user with email %s already exists" % req.email)
    now = _now_iso()
    item = {
        "tenant_id": tenant_id,
        "user_id": uuid.uuid4().hex,
        "email": req.email,
        "password_hash": hash_password(req.password),
        "scopes": req.scopes,
        "created_at": now,
        "updated_at": now,
    }
    repo.create(item)
    log.info("created user %s in tenant %s", item["user_id"], tenant_id)
    return UserResponse.from_item(item)


def list_users(tenant_id):
    return UserListResponse([UserResponse.from_item(i) for i in user_repository().list(tenant_id)])


def get_user(tenant_id, user_id):
    return UserResponse.from_item(_existing(user_repository(), tenant_id, user_id))


def update_user(tenant_id, user_id, req):
    req = req.validated()
    repo = user_repository()
    item = _existing(repo, tenant_id, user_id)
    if req.email is not None and req.email != item["email"]:
        other = repo.find_by_email(tenant_id, req.email)
        if other is not None and other["user_id"] != user_id:
            raise ConflictError("a user with email %s already exists" % req.email)
        item["email"] = req.email
    if req.password is not None:
        item["password_hash"] = hash_password(req.password)
    if req.scopes is not None:
        item["scopes"] = req.scopes
    item["updated_at"] = _now_iso()
    repo.put(item)
    return UserResponse.from_item(item)


def delete_user(tenant_id, user_id):
    if not user_repository().delete(tenant_id, user_id):
        raise NotFoundError("user %s not found" % user_id)


def export_users(tenant_id):
    items = [UserResponse.from_item(i) for i in user_repository().list(tenant_id)]
    return ExportResponse(tenant_id=tenant_id, exported_at=_now_iso(), items=items)


def cleanup_expired_sessions(now=None):
    """Deletes sessions whose expires_at (epoch seconds) is in the past."""
    repo = session_repository()
    now = int(time.time() if now is None else now)
    deleted = repo.delete_expired(now)
    log.info("cleanup_sessions: deleted %d expired session(s) from %s", deleted, repo.backend)
    return {"status": "ok", "deleted": deleted, "backend": repo.backend}
