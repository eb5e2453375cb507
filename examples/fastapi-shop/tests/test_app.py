"""The app's own tests, run locally with FastAPI's TestClient.

They need the app's requirements plus httpx and pytest, and the deployless
wheel (`deployless python-sdk`) so that `import deployless as pc` works:

    pip install -r requirements.txt httpx pytest ./deployless-*.whl
    pytest
"""

import hashlib
import re

import pytest
from fastapi.testclient import TestClient

from app import create_app, lifecycle
from app.features.files.samples import PIXEL_PNG
from app.features.items.routes import refresh
from app.store import reset

TOKEN = {"X-Api-Token": "shop-dev-token"}


@pytest.fixture()
def client():
    reset()
    # `with` runs the app's lifespan (startup on enter, shutdown on exit).
    with TestClient(create_app()) as c:
        yield c


def make_item(client, **fields):
    body = {"name": "Mug", "price": 12.5, "tags": ["kitchen"], **fields}
    r = client.post("/api/items", json=body, headers=TOKEN)
    assert r.status_code == 201, r.text
    return r.json()


# ---- app factory: lifespan, middleware, exception handler ----------------


def test_lifespan_runs_once_per_app_start():
    before = lifecycle.startups
    with TestClient(create_app()) as c:
        first = c.get("/api/reports/status").json()
        second = c.get("/api/reports/status").json()
    assert first == {"status": "ok", "startups": before + 1, "currency": "EUR"}
    assert second == first  # two requests, one startup
    with TestClient(create_app()) as c:
        assert c.get("/api/reports/status").json()["startups"] == before + 2


def test_lifespan_state_reaches_requests(monkeypatch):
    monkeypatch.setenv("SHOP_CURRENCY", "USD")
    with TestClient(create_app()) as c:
        assert c.get("/api/reports/status").json()["currency"] == "USD"


def test_middleware_headers(client):
    r = client.get("/api/reports/status", headers={"X-Request-Id": "req-42"})
    assert r.headers["X-App"] == "fastapi-shop"
    assert r.headers["X-Request-Id"] == "req-42"
    generated = client.get("/api/reports/status").headers["X-Request-Id"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    # Error responses get them too.
    assert client.get("/api/items/1", headers=TOKEN).headers["X-App"] == "fastapi-shop"


def test_exception_handler_renders_conflicts(client):
    make_item(client, name="Mug")
    r = client.post("/api/items", json={"name": "MUG", "price": 3}, headers=TOKEN)
    assert r.status_code == 409
    assert r.json() == {"error": "conflict", "message": "an item named 'Mug' already exists (id 1)"}


# ---- the API token dependency -------------------------------------------


def test_router_level_dependency_needs_the_header(client):
    r = client.get("/api/items")
    assert r.status_code == 422
    assert r.json() == {
        "detail": [{"type": "missing", "loc": ["header", "x-api-token"], "msg": "Field required", "input": None}]
    }
    r = client.get("/api/items", headers={"X-Api-Token": "wrong"})
    assert r.status_code == 401
    assert r.json() == {"detail": "invalid API token"}
    assert r.headers["WWW-Authenticate"] == "X-Api-Token"
    # The included reviews router inherits it.
    assert client.get("/api/items/1/reviews").status_code == 422


def test_token_comes_from_the_environment(client, monkeypatch):
    monkeypatch.setenv("SHOP_API_TOKEN", "s3cret")
    assert client.get("/api/items", headers=TOKEN).status_code == 401
    assert client.get("/api/items", headers={"X-Api-Token": "s3cret"}).status_code == 200


def test_per_route_dependency(client):
    assert client.get("/api/reports/status").status_code == 200  # public
    assert client.get("/api/reports/summary").status_code == 422
    assert client.get("/api/reports/summary", headers={"X-Api-Token": "wrong"}).status_code == 401
    assert client.get("/api/reports/export").status_code == 422
    assert client.get("/api/reports/summary", headers=TOKEN).status_code == 200


# ---- items CRUD ---------------------------------------------------------


def test_crud(client):
    created = make_item(client)
    assert created == {"id": 1, "name": "Mug", "price": 12.5, "tags": ["kitchen"], "in_stock": True}

    assert client.get("/api/items/1", headers=TOKEN).json() == created

    r = client.put("/api/items/1", json={"name": "Big mug", "price": 14}, headers=TOKEN)
    assert r.status_code == 200
    assert r.json() == {"id": 1, "name": "Big mug", "price": 14.0, "tags": [], "in_stock": True}

    r = client.patch("/api/items/1", json={"in_stock": False}, headers=TOKEN)
    assert r.status_code == 200
    assert r.json() == {"id": 1, "name": "Big mug", "price": 14.0, "tags": [], "in_stock": False}

    r = client.delete("/api/items/1", headers=TOKEN)
    assert r.status_code == 204
    assert r.content == b""

    r = client.get("/api/items/1", headers=TOKEN)
    assert r.status_code == 404
    assert r.json() == {"detail": "item 1 not found"}
    assert client.delete("/api/items/1", headers=TOKEN).status_code == 404
    assert client.patch("/api/items/1", json={}, headers=TOKEN).status_code == 404


def test_list_with_query_defaults(client):
    for n in range(1, 13):
        make_item(client, name=f"Item {n}", price=n, tags=["even" if n % 2 == 0 else "odd"])
    page = client.get("/api/items", headers=TOKEN).json()
    assert (page["total"], page["limit"], page["offset"]) == (12, 10, 0)
    assert [i["id"] for i in page["items"]] == list(range(1, 11))

    page = client.get("/api/items", params={"limit": 5, "offset": 10}, headers=TOKEN).json()
    assert [i["id"] for i in page["items"]] == [11, 12]
    assert (page["limit"], page["offset"]) == (5, 10)

    page = client.get("/api/items", params={"tag": "even", "limit": 2}, headers=TOKEN).json()
    assert [i["id"] for i in page["items"]] == [2, 4]
    assert page["total"] == 6

    r = client.get("/api/items", params={"limit": 0}, headers=TOKEN)
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["query", "limit"]


def test_body_validation_gives_fastapis_422(client):
    r = client.post("/api/items", json={"name": "", "price": 0}, headers=TOKEN)
    assert r.status_code == 422
    assert r.json() == {
        "detail": [
            {
                "type": "string_too_short",
                "loc": ["body", "name"],
                "msg": "String should have at least 1 character",
                "input": "",
                "ctx": {"min_length": 1},
            },
            {
                "type": "greater_than",
                "loc": ["body", "price"],
                "msg": "Input should be greater than 0",
                "input": 0,
                "ctx": {"gt": 0.0},
            },
        ]
    }
    r = client.get("/api/items/abc", headers=TOKEN)
    assert r.status_code == 422
    assert r.json()["detail"][0]["type"] == "int_parsing"


def test_reviews_nested_router(client):
    make_item(client)
    r = client.post("/api/items/1/reviews", json={"rating": 5, "comment": "Holds a lot of tea"}, headers=TOKEN)
    assert r.status_code == 201
    assert r.json() == {"id": 1, "item_id": 1, "rating": 5, "comment": "Holds a lot of tea"}
    assert client.get("/api/items/1/reviews", headers=TOKEN).json() == [r.json()]
    assert client.post("/api/items/1/reviews", json={"rating": 6}, headers=TOKEN).status_code == 422
    r = client.get("/api/items/2/reviews", headers=TOKEN)
    assert (r.status_code, r.json()) == (404, {"detail": "item 2 not found"})


# ---- files: {p:path} and binary bodies ------------------------------------


def test_sample_png_is_binary(client):
    r = client.get("/api/files/samples/pixel.png")
    assert r.status_code == 200
    assert r.headers["content-type"] == "image/png"
    assert r.content == PIXEL_PNG
    assert r.content.startswith(b"\x89PNG\r\n\x1a\n")
    head = client.head("/api/files/samples/pixel.png")
    assert head.status_code == 200
    assert head.headers["content-length"] == str(len(PIXEL_PNG))
    assert head.headers["content-type"] == "image/png"
    assert head.content == b""


def test_upload_and_download_any_path(client):
    r = client.put("/api/files/docs/2026/notes.txt", content=b"hello", headers={"Content-Type": "text/plain"})
    assert r.status_code == 201
    assert r.json() == {
        "path": "docs/2026/notes.txt",
        "size": 5,
        "content_type": "text/plain",
        "sha256": hashlib.sha256(b"hello").hexdigest(),
    }
    r = client.get("/api/files/docs/2026/notes.txt")
    assert (r.status_code, r.content) == (200, b"hello")
    assert r.headers["content-type"] == "text/plain; charset=utf-8"

    png = PIXEL_PNG + b"\x00\xff"  # not valid UTF-8
    assert client.put("/api/files/img/a.png", content=png, headers={"Content-Type": "image/png"}).status_code == 201
    assert client.get("/api/files/img/a.png").content == png


def test_file_errors(client):
    r = client.get("/api/files/nothing/here.txt")
    assert (r.status_code, r.json()) == (404, {"detail": "no file at nothing/here.txt"})
    assert client.head("/api/files/nothing/here.txt").status_code == 404
    r = client.put("/api/files/samples/pixel.png", content=b"x")
    assert r.status_code == 403
    assert r.json() == {"error": "forbidden", "message": "samples/pixel.png is a built-in sample and cannot be replaced"}
    r = client.put("/api/files/empty.bin", content=b"")
    assert (r.status_code, r.json()) == (400, {"detail": "the request body is empty: send the file's bytes"})


# ---- reports and the cron -------------------------------------------------


def test_summary(client):
    make_item(client, name="Mug", price=12.5, tags=["kitchen"])
    make_item(client, name="Tea", price=4.25, tags=["food", "kitchen"], in_stock=False)
    r = client.get("/api/reports/summary", headers=TOKEN)
    assert r.json() == {
        "items": 2,
        "in_stock": 1,
        "inventory_value": 16.75,
        "currency": "EUR",
        "tags": ["food", "kitchen"],
    }
    r = client.get("/api/reports/summary", params={"in_stock_only": "true"}, headers=TOKEN)
    assert r.json()["items"] == 1


def test_export_csv(client):
    make_item(client, name="Mug", price=12.5, tags=["kitchen", "gift"])
    r = client.get("/api/reports/export", headers=TOKEN)
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.headers["content-disposition"] == 'attachment; filename="catalog.csv"'
    assert r.text == "id,name,price,tags,in_stock\n1,Mug,12.5,kitchen;gift,True\n"


def test_refresh_cron_restocks(client):
    make_item(client, name="Mug", in_stock=False)
    make_item(client, name="Tea", in_stock=False)
    make_item(client, name="Pot")
    assert refresh({"source": "aws.events"}, None) == {"refreshed": 2}
    assert client.get("/api/items/1", headers=TOKEN).json()["in_stock"] is True
    assert refresh({}, None) == {"refreshed": 0}


def test_route_table(client):
    # The routes README.md lists (deployless puts them in the template
    # without the trailing slash, and serves both forms).
    paths = client.get("/openapi.json").json()["paths"]
    assert {p: sorted(ops) for p, ops in paths.items()} == {
        "/api/items/": ["get", "post"],
        "/api/items/{item_id}": ["delete", "get", "patch", "put"],
        "/api/items/{item_id}/reviews": ["get", "post"],
        "/api/files/{p}": ["get", "head", "put"],
        "/api/reports/status": ["get"],
        "/api/reports/summary": ["get"],
        "/api/reports/export": ["get"],
    }
