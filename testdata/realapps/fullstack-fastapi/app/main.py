# The app now lives in app/__init__.py (the deployless layout); this keeps
# `fastapi run app/main.py` and `from app.main import app` working.
from app import app

__all__ = ["app"]
