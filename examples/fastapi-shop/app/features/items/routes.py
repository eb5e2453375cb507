"""The catalog: CRUD on /api/items, reviews under each item, and an hourly
restock job. Every route here needs the X-Api-Token header: the router
carries the dependency."""

from typing import Annotated

import deployless as pc
from fastapi import APIRouter, Depends, HTTPException, Query, Response, status

from app.errors import Conflict
from app.features.items import reviews
from app.features.items.models import Item, ItemIn, ItemPage, ItemPatch
from app.security import require_token
from app.store import store

# Declared for when the store moves to DynamoDB: the function then gets
# SHOP_ITEMS_TABLE. The in-memory store below does not need it.
items_table = pc.DynamoDB("shop-items", pk="id", pk_type="N")

pc.configure(
    memory=256,
    description="Catalog: items and their reviews",
    resources={"items": items_table},
    policies=[{"DynamoDBCrudPolicy": {"TableName": pc.Ref(items_table)}}],
)

router = APIRouter(
    prefix="/items",
    tags=["items"],
    dependencies=[Depends(require_token)],
)


def _item_or_404(item_id: int) -> dict:
    item = store.items.get(item_id)
    if item is None:
        raise HTTPException(status_code=404, detail=f"item {item_id} not found")
    return item


def _check_name_free(name: str, item_id: int | None = None) -> None:
    for other in store.items.values():
        if other["name"].casefold() == name.casefold() and other["id"] != item_id:
            raise Conflict(f"an item named {other['name']!r} already exists (id {other['id']})")


@router.post("/", response_model=Item, status_code=status.HTTP_201_CREATED)
def create_item(item: ItemIn):
    _check_name_free(item.name)
    saved = {"id": store.new_item_id(), **item.model_dump()}
    store.items[saved["id"]] = saved
    return saved


@router.get("/", response_model=ItemPage)
def list_items(
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
    offset: Annotated[int, Query(ge=0)] = 0,
    tag: str | None = None,
):
    matching = [i for _, i in sorted(store.items.items()) if tag is None or tag in i["tags"]]
    return {"items": matching[offset : offset + limit], "total": len(matching), "limit": limit, "offset": offset}


@router.get("/{item_id}", response_model=Item)
def get_item(item_id: int):
    return _item_or_404(item_id)


@router.put("/{item_id}", response_model=Item)
def replace_item(item_id: int, item: ItemIn):
    _item_or_404(item_id)
    _check_name_free(item.name, item_id)
    saved = {"id": item_id, **item.model_dump()}
    store.items[item_id] = saved
    return saved


@router.patch("/{item_id}", response_model=Item)
def update_item(item_id: int, patch: ItemPatch):
    saved = _item_or_404(item_id)
    changes = patch.model_dump(exclude_unset=True)
    if changes.get("name") is not None:
        _check_name_free(changes["name"], item_id)
    saved.update({k: v for k, v in changes.items() if v is not None})
    return saved


@router.delete("/{item_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_item(item_id: int):
    _item_or_404(item_id)
    del store.items[item_id]
    store.reviews.pop(item_id, None)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# /api/items/{item_id}/reviews, from the module beside this one.
router.include_router(reviews.router, prefix="/{item_id}/reviews")


# ---- Cron: hourly restock ----
@pc.cron("rate(1 hour)", memory=128, timeout=60, description="Restock the items marked out of stock")
def refresh(event, context):
    restocked = 0
    for item in store.items.values():
        if not item["in_stock"]:
            item["in_stock"] = True
            restocked += 1
    return {"refreshed": restocked}
