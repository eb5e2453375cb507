from flask import Blueprint
from flask.views import MethodView

api_bp = Blueprint("accounts_api", __name__, url_prefix="/api/accounts")


class UserAPI(MethodView):
    def get(self, user_id):
        return {"id": user_id}

    def put(self, user_id):
        return {"id": user_id}

    def delete(self, user_id):
        return "", 204


api_bp.add_url_rule("/<int:user_id>", view_func=UserAPI.as_view("user"))
