"""In-memory storage: plain dicts that live as long as the process.

On Lambda that is as long as the warm container, and each function has its
own: what the items function stores, the reports function does not see.
Move them to DynamoDB (items/routes.py already declares the shop-items
table) when the data must be shared or outlive a container.
"""

import threading
from dataclasses import dataclass, field


@dataclass
class StoredFile:
    data: bytes
    content_type: str


@dataclass
class Store:
    items: dict[int, dict] = field(default_factory=dict)  # id -> item
    reviews: dict[int, list[dict]] = field(default_factory=dict)  # item id -> reviews
    files: dict[str, StoredFile] = field(default_factory=dict)  # path -> file
    next_item_id: int = 1
    next_review_id: int = 1
    lock: threading.Lock = field(default_factory=threading.Lock)

    def new_item_id(self) -> int:
        with self.lock:
            item_id = self.next_item_id
            self.next_item_id += 1
            return item_id

    def new_review_id(self) -> int:
        with self.lock:
            review_id = self.next_review_id
            self.next_review_id += 1
            return review_id


store = Store()


def reset() -> None:
    """Empty every store (tests call it between tests)."""
    store.__dict__.update(Store().__dict__)
