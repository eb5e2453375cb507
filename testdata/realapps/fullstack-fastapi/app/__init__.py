import sentry_sdk
from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.middleware.cors import CORSMiddleware

from app.core.config import settings
from app.features.items.routes import router as items_router
from app.features.login.routes import router as login_router
from app.features.users.routes import router as users_router
from app.features.utils.routes import router as utils_router


def custom_generate_unique_id(route: APIRoute) -> str:
    return f"{route.tags[0]}-{route.name}"


if settings.SENTRY_DSN and settings.ENVIRONMENT != "local":
    sentry_sdk.init(dsn=str(settings.SENTRY_DSN), enable_tracing=True)

app = FastAPI(
    title=settings.PROJECT_NAME,
    openapi_url=f"{settings.API_V1_STR}/openapi.json",
    generate_unique_id_function=custom_generate_unique_id,
)

# Set all CORS enabled origins
if settings.all_cors_origins:
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.all_cors_origins,
        allow_credentials=True,
        allow_methods=["*"],
        allow_headers=["*"],
    )

# "/api/v1" is settings.API_V1_STR, written as a literal for deployless.
app.include_router(login_router, prefix="/api/v1")
app.include_router(users_router, prefix="/api/v1")
app.include_router(utils_router, prefix="/api/v1")
app.include_router(items_router, prefix="/api/v1")
