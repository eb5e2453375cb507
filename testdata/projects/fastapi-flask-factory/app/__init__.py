# A Flask app factory in a project that mixes frameworks: it serves the
# Flask feature (legacy); the FastAPI features are served without it (their
# routers on a bare FastAPI app), since it makes a Flask app.
from flask import Flask


def create_app():
    app = Flask(__name__)
    from app.features.legacy.routes import bp

    app.register_blueprint(bp)

    @app.after_request
    def mark(response):
        response.headers["X-Factory"] = "flask"
        return response

    return app
