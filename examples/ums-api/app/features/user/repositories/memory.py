"""In-memory repositories: a dict per process (per warm Lambda container)."""

import copy
import threading


class InMemoryUserRepository:
    backend = "memory"

    def __init__(self):
        self._items = {}  # (tenant_id, user_id) -> item
        self._lock = threading.Lock()

    def create(self, item):
        with self._lock:
            self._items[(item["tenant_id"], item["user_id"])] = copy.deepcopy(item)

    def get(self, tenant_id, user_id):
        item = self._items.get((tenant_id, user_id))
        return copy.deepcopy(item) if item is not None else None

    def find_by_email(self, tenant_id, email):
        for (tid, _), item in sorted(self._items.items()):
            if tid == tenant_id and item["email"] == email:
                return copy.deepcopy(item)
        return None

    def list(self, tenant_id):
        return [copy.deepcopy(item) for (tid, _), item in sorted(self._items.items()) if tid == tenant_id]

    def put(self, item):
        with self._lock:
            self._items[(item["tenant_id"], item["user_id"])] = copy.deepcopy(item)

    def delete(self, tenant_id, user_id):
        with self._lock:
            return self._items.pop((tenant_id, user_id), None) is not None


class InMemorySessionRepository:
    backend = "memory"

    def __init__(self):
        self._items = {}  # session_id -> item
        self._lock = threading.Lock()

    def put(self, item):
        with self._lock:
            self._items[item["session_id"]] = dict(item)

    def delete_expired(self, now):
        with self._lock:
            expired = [sid for sid, item in self._items.items() if int(item.get("expires_at", 0)) < now]
            for sid in expired:
                del self._items[sid]
        return len(expired)
