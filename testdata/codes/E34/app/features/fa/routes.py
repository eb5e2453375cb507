from fastapi import APIRouter

router = APIRouter(prefix="/fa")


@router.get("/files/{p:path}")
def file(p: str):
    return {}


@router.get("/files/{p:path}/meta")  # ERROR: E34
def meta(p: str):
    return {}


@router.get("/report-{year}")  # ERROR: E34
def report(year: int):
    return {}


@router.get("/{slug:slug}")  # ERROR: E34
def by_slug(slug: str):
    return {}
