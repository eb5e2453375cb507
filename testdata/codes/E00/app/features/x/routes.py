from flask import Blueprint
import deployless as pc

bp = Blueprint("x", __name__)


@bp.get("/x")
def x():
    return {}


pc.configure(resources={"t": pc.DynamoDB("tbl", pk_type="X")})  # ERROR: E00
