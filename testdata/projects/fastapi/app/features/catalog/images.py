from fastapi import APIRouter, Response

images = APIRouter(prefix="/images")


@images.get("/{key:path}", name="image")
def image(key: str):
    return Response(b"\x89PNG", media_type="image/png")
