# FastAPI shapes deployless cannot see statically, or API Gateway's REST
# API cannot carry.
from fastapi import APIRouter, FastAPI

from .paths import PREFIXES

router = APIRouter(prefix="/fa/")  # ERROR: E10


@router.get("/fa-ok")
def ok():
    return {}


@router.get(PREFIXES[0])
def computed():
    return {}


@router.websocket("/ws")  # ERROR: E10
async def ws(websocket):
    pass


router.mount("/static", FastAPI())  # ERROR: E10

for path in ("/a", "/b"):
    router.add_api_route(path, ok)  # ERROR: E10

router.add_api_route("/lambda", lambda: {})  # ERROR: E10


def make_router():
    return APIRouter()  # ERROR: E10
