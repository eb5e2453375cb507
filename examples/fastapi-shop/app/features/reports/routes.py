"""Reports: a public status check (it shows the lifespan at work), a catalog
summary, and a CSV export heavy enough to get a Lambda of its own."""

import csv
import io

import deployless as pc
from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel

from app import lifecycle
from app.security import require_token
from app.store import store

pc.configure(
    description="Reports: status, summary and export",
)

router = APIRouter(prefix="/reports", tags=["reports"])


class Status(BaseModel):
    status: str
    startups: int
    currency: str


class Summary(BaseModel):
    items: int
    in_stock: int
    inventory_value: float
    currency: str
    tags: list[str]


@router.get("/status", response_model=Status)
def status(request: Request):
    # No token: this is what a load balancer or a smoke test would call.
    return {"status": "ok", "startups": lifecycle.startups, "currency": request.state.currency}


@router.get("/summary", response_model=Summary, dependencies=[Depends(require_token)])
def summary(request: Request, in_stock_only: bool = False):
    items = [i for i in store.items.values() if i["in_stock"] or not in_stock_only]
    return {
        "items": len(items),
        "in_stock": sum(1 for i in items if i["in_stock"]),
        "inventory_value": round(sum(i["price"] for i in items), 2),
        "currency": request.state.currency,
        "tags": sorted({t for i in items for t in i["tags"]}),
    }


# ---- Split: its own Lambda, with more memory and time ----
@pc.route(memory=1024, timeout=60, description="CSV export of the catalog")
@router.get("/export", dependencies=[Depends(require_token)])
def export_catalog() -> Response:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "name", "price", "tags", "in_stock"])
    for _, item in sorted(store.items.items()):
        writer.writerow([item["id"], item["name"], item["price"], ";".join(item["tags"]), item["in_stock"]])
    return Response(
        content=out.getvalue(),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="catalog.csv"'},
    )
