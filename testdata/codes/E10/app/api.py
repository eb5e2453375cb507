# A module-level FastAPI app: a route on it belongs to no feature.
from fastapi import FastAPI

api = FastAPI()


@api.get("/health")  # ERROR: E10
def health():
    return {}
