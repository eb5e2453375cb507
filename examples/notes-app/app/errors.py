from flask import jsonify, request


def register_error_handlers(app):
    """An init_app hook (deployless.yaml): JSON errors for the API."""

    @app.errorhandler(404)
    def not_found(error):
        if request.path.startswith("/api/"):
            return jsonify(error="not_found"), 404
        return "Not found", 404
