# Shapes deployless cannot evaluate statically: each is refused where it
# is written, never silently dropped.
import deployless as pc
from flask import Blueprint
from flask.views import MethodView

bp = Blueprint("z", __name__)


@bp.get("/ok")
def view():
    pass


def job(event, context):
    pass


for rule in ["/a", "/b"]:
    bp.add_url_rule(rule, "r" + rule, view)  # ERROR: E10

if True:
    @bp.get("/c")  # ERROR: E10
    def c():
        pass


def register():
    bp.add_url_rule("/d", "d", view)  # ERROR: E10
    return Blueprint("inner", __name__)  # ERROR: E10


bp.route("/e")(view)  # ERROR: E10
pc.cron(schedule="rate(1 hour)")(job)  # ERROR: E10
settings = pc.configure(memory=256)  # ERROR: E10


class Empty(MethodView):  # ERROR: E10
    pass


bp.add_url_rule("/f", view_func=Empty.as_view("f"))
bp.add_url_rule("/g", view_func=register())  # ERROR: E10
