# A FastAPI feature: routers across modules, prefixes, path convertors,
# a split with an auth override, a cron.
import deployless as pc
from fastapi import APIRouter, Depends, Header

from .images import images

pc.configure(memory=512, auth=None)


def token(x_token: str = Header()):
    return x_token


router = APIRouter(prefix="/catalog", tags=["catalog"], dependencies=[Depends(token)])


@router.get("/")
async def list_products(limit: int = 10, offset: int = 0):
    return []


@router.get("/{product_id:int}")
async def get_product(product_id: int):
    return {}


@router.api_route("/{product_id:int}", methods=["PUT", "PATCH"])
async def update_product(product_id: int):
    return {}


@pc.route(memory=1024, timeout=60, auth="api_key")
@router.post("/import", status_code=202)
async def bulk_import():
    return {}


def delete_product(product_id: int):
    return None


router.add_api_route("/{product_id:int}", delete_product, methods=["DELETE"], status_code=204)
router.include_router(images, prefix="/media")


@pc.cron("rate(1 hour)")
def refresh(event, context):
    return {"refreshed": 0}
