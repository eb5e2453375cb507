import deployless as pc
from fastapi import FastAPI
from pydantic import BaseModel

from app.shared.auth import current_user  # noqa: F401

# A feature may define a FastAPI app of its own: it is served as is.
api = FastAPI()


class Order(BaseModel):
    sku: str
    quantity: int


@api.post("/orders", status_code=201)
def create_order(order: Order):
    return order


@api.get("/orders/{order_id}")
def get_order(order_id: str):
    return {}


@pc.route(auth=None)
@api.head("/orders/health")
def health():
    return None
