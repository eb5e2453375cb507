import deployless as pc
from fastapi import APIRouter

router = APIRouter(prefix="/users", tags=["users"])


@router.get("/me")
def me():
    return {}


@pc.lambda_function(memory=256)
def sync(event, context):
    return {"synced": True}
