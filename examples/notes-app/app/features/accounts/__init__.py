from flask import Blueprint

bp = Blueprint("accounts", __name__, url_prefix="/accounts")

# The views register their routes on bp when the package is imported, as
# Flask's tutorial does it.
from . import views  # noqa: E402,F401
