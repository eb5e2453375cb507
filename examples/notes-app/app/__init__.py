"""The notes app: an application factory, as Flask's tutorial writes it."""
import os

from flask import Flask

from app.extensions import csrf, db, login_manager


def create_app(config=None):
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=os.environ.get("SECRET_KEY", "dev-only-secret-change-me"),
        SQLALCHEMY_DATABASE_URI=os.environ.get("DATABASE_URL", "sqlite:///notes-app.db"),
        WTF_CSRF_TIME_LIMIT=None,
    )
    if config:
        app.config.update(config)

    db.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    csrf.init_app(app)

    # Imported here, as the factory pattern does: in a deployless package
    # the features this function does not serve are stand-ins.
    from app.features.accounts import bp as accounts_bp
    from app.features.accounts.api import api_bp
    from app.features.notes.routes import bp as notes_bp

    app.register_blueprint(accounts_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(notes_bp)
    csrf.exempt(api_bp)
    csrf.exempt(notes_bp)  # a JSON API only

    with app.app_context():
        db.create_all()
    return app
