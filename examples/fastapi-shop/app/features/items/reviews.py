"""Reviews of an item: a router of its own, which routes.py includes under
/{item_id}/reviews, so its routes inherit the items router's prefix and its
X-Api-Token dependency."""

from fastapi import APIRouter, HTTPException

from app.features.items.models import Review, ReviewIn
from app.store import store

router = APIRouter(tags=["reviews"])


def _item_or_404(item_id: int) -> dict:
    item = store.items.get(item_id)
    if item is None:
        raise HTTPException(status_code=404, detail=f"item {item_id} not found")
    return item


@router.post("", response_model=Review, status_code=201)
def add_review(item_id: int, review: ReviewIn):
    _item_or_404(item_id)
    saved = {"id": store.new_review_id(), "item_id": item_id, **review.model_dump()}
    store.reviews.setdefault(item_id, []).append(saved)
    return saved


@router.get("", response_model=list[Review])
def list_reviews(item_id: int):
    _item_or_404(item_id)
    return store.reviews.get(item_id, [])
