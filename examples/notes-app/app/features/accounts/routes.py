"""The accounts feature: HTML log-in pages (views.py) and a JSON API
(api.py), each in its own module, as Flask tutorials split them."""
import deployless as pc

from . import bp  # noqa: F401
from . import api, views  # noqa: F401

pc.configure(memory=256, description="Accounts: log-in pages and the account API")
