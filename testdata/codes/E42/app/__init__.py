from flask import Flask

# The stand-in of feature b defines its Blueprint: every package has it.
from app.features.b.routes import bp as b_bp
from app.features.b.routes import helper  # ERROR: E42


def create_app():
    app = Flask(__name__)
    from app.features.a.routes import bp as a_bp

    app.register_blueprint(a_bp)
    app.register_blueprint(b_bp)
    return app
