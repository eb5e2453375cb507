"""Files: upload any bytes to a path, download them back.

`{p:path}` takes the whole rest of the URL, slashes included, so
PUT /api/files/docs/2026/notes.txt stores under "docs/2026/notes.txt".
Downloads answer the bytes with the Content-Type they were uploaded with;
image/png is one of the API's binary_media_types (deployless.yaml), so
API Gateway hands PNG bytes through unchanged.
"""

import hashlib

import deployless as pc
from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import BaseModel

from app.errors import Forbidden
from app.features.files.samples import SAMPLES
from app.store import StoredFile, store

pc.configure(
    memory=512,
    description="File uploads and downloads",
)

MAX_FILE_BYTES = 1024 * 1024

# No prefix here: create_app() includes this router under /api/files.
router = APIRouter(tags=["files"])


class FileInfo(BaseModel):
    path: str
    size: int
    content_type: str
    sha256: str


async def upload_file(p: str, request: Request) -> FileInfo:
    if p in SAMPLES:
        raise Forbidden(f"{p} is a built-in sample and cannot be replaced")
    body = await request.body()
    if not body:
        raise HTTPException(status_code=400, detail="the request body is empty: send the file's bytes")
    if len(body) > MAX_FILE_BYTES:
        raise HTTPException(status_code=413, detail=f"files are limited to {MAX_FILE_BYTES} bytes")
    content_type = request.headers.get("content-type", "application/octet-stream")
    store.files[p] = StoredFile(body, content_type)
    return FileInfo(path=p, size=len(body), content_type=content_type, sha256=hashlib.sha256(body).hexdigest())


# The same as @router.put("/{p:path}", status_code=201, response_model=FileInfo).
router.add_api_route("/{p:path}", upload_file, methods=["PUT"], status_code=201, response_model=FileInfo)


def _find(p: str) -> tuple[bytes, str]:
    stored = store.files.get(p)
    if stored is not None:
        return stored.data, stored.content_type
    if p in SAMPLES:
        return SAMPLES[p]
    raise HTTPException(status_code=404, detail=f"no file at {p}")


@router.get("/{p:path}")
def download_file(p: str) -> Response:
    data, content_type = _find(p)
    return Response(content=data, media_type=content_type)


# HEAD: the download's headers without its body. api_route takes any list of
# methods (@router.head would do the same here).
@router.api_route("/{p:path}", methods=["HEAD"])
def file_headers(p: str) -> Response:
    data, content_type = _find(p)
    return Response(media_type=content_type, headers={"Content-Length": str(len(data))})
