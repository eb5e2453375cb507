# FastAPI's "bigger applications" api_router in the app package: what it
# gathers belongs to no feature (include each feature's router in the app).
from fastapi import APIRouter

from app.features.fa.routes import router

api_router = APIRouter()
api_router.include_router(router, prefix="/fa")  # ERROR: E10
