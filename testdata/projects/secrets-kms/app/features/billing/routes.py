import os

from flask import Blueprint
import deployless as pc

# REGION_HINT resolves from the env_file at build time (never SECRET_*).
pc.configure(env={"REGION": os.getenv("REGION_HINT", "us-east-1")})

bp = Blueprint("billing", __name__, url_prefix="/billing")


@bp.get("/invoices")
def invoices():
    return {"stripe_key_set": bool(os.getenv("SECRET_STRIPE_KEY"))}
