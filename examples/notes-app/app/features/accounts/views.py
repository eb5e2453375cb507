from flask import redirect, render_template, url_for
from flask_login import login_user, logout_user

from app.extensions import db
from app.models import User

from . import bp
from .forms import LoginForm


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = db.session.execute(db.select(User).filter_by(email=form.email.data.lower())).scalar_one_or_none()
        if user is not None and user.check_password(form.password.data):
            login_user(user)
            return redirect(url_for("notes.index"))
        error = "wrong email or password"
    return render_template("login.html", form=form, error=error)


@bp.get("/logout")
def logout():
    logout_user()
    return redirect(url_for("accounts.login"))
