"""fastapi-shop: the application factory.

`create_app()` builds the FastAPI app the way the FastAPI docs lay out a
"bigger application": one APIRouter per feature, included under a prefix,
plus app-wide middleware, exception handlers and a lifespan. Locally:

    uvicorn --factory app:create_app --reload

On Lambda, deployless calls create_app() once per cold start and serves the
routes of one feature (or one split route) from it through Mangum.
"""

import uuid

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from app.errors import ShopError, error_response
from app.lifecycle import lifespan


def create_app() -> FastAPI:
    app = FastAPI(
        title="fastapi-shop",
        version="1.0.0",
        summary="A small shop API: catalog, files and reports.",
        lifespan=lifespan,
    )

    @app.middleware("http")
    async def standard_headers(request: Request, call_next):
        # Echo the caller's X-Request-Id (or make one up) so a request can be
        # followed through the logs; X-App says which app answered.
        request_id = request.headers.get("x-request-id") or uuid.uuid4().hex
        request.state.request_id = request_id
        response = await call_next(request)
        response.headers["X-Request-Id"] = request_id
        response.headers["X-App"] = "fastapi-shop"
        return response

    @app.exception_handler(ShopError)
    async def shop_error(request: Request, exc: ShopError) -> JSONResponse:
        return error_response(exc)

    # Imported here, as the factory pattern does (no import cycle with the
    # features, which import app.store and friends).
    from app.features.files.routes import router as files_router
    from app.features.items.routes import router as items_router
    from app.features.reports.routes import router as reports_router

    app.include_router(items_router, prefix="/api")  # router prefix /items
    app.include_router(files_router, prefix="/api/files")  # router has none
    app.include_router(reports_router, prefix="/api")  # router prefix /reports
    return app
