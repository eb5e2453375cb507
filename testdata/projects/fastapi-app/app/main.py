# A module-level FastAPI app with a lifespan, a middleware and an exception
# handler: every function serves it, restricted to its own routes (the
# other features are stand-ins).
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from app.features.items.routes import router as items_router
from app.features.users import routes as users


@asynccontextmanager
async def lifespan(app):
    yield {"started": True}


def unique_id(route):
    # full-stack-fastapi-template's: the stand-ins' routes carry no tags,
    # so deployless gives them an operation_id of their own.
    return f"{route.tags[0]}-{route.name}"


app = FastAPI(title="items", lifespan=lifespan, generate_unique_id_function=unique_id)
app.include_router(items_router, prefix="/api/v1")
app.include_router(users.router, prefix="/api/v1")


@app.middleware("http")
async def add_header(request: Request, call_next):
    response = await call_next(request)
    response.headers["X-App"] = "items"
    return response


@app.exception_handler(KeyError)
async def missing(request: Request, exc: KeyError):
    return JSONResponse({"detail": "missing"}, status_code=404)
