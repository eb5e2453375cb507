from app.features.api import bp  # noqa: F401
from app.features.api import users, errors, tokens  # noqa: F401
