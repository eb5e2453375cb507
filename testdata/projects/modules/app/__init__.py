from flask import Flask


def create_app():
    app = Flask(__name__)
    from app.features.accounts import bp as accounts_bp
    from app.features.accounts.api import api_bp
    from app.features.notes.routes import bp as notes_bp

    app.register_blueprint(accounts_bp, url_prefix="/accounts")
    app.register_blueprint(api_bp)
    app.register_blueprint(notes_bp)
    return app
