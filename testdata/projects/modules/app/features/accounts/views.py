from . import bp


@bp.route("/login", methods=["GET", "POST"])
def login():
    return "login"


@bp.route("/")
@bp.route("/home")
def home():
    return "home"
