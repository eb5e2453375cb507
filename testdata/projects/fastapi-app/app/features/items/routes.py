from fastapi import APIRouter

router = APIRouter(prefix="/items", tags=["items"])


@router.get("")
def list_items():
    return []


@router.get("/{item_id}", name="item")
def get_item(item_id: str):
    return {}
