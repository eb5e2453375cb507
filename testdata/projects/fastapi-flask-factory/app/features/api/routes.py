# A FastAPI feature in a project whose app factory makes a Flask app: it is
# served without the factory, its router on a bare FastAPI app.
from fastapi import APIRouter

router = APIRouter(prefix="/api")


@router.get("/ping")
def ping():
    return {"pong": True}
