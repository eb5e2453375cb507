import deployless as pc

from . import api, bp  # noqa: F401
from app.shared.health import health  # noqa: F401

pc.configure(memory=256)
