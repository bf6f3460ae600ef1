"""Who may use the panel: its login form, the session it sets, and the home page.

Every request re-reads the admin from the database, so a demoted or deleted admin, or one
whose password changed, is out at once; sessions also end after SESSION_HOURS.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from typing import Any

from flask import current_app, g, redirect, request, session, url_for
from flask_admin import AdminIndexView, expose
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from storeapi import db
from storeapi.auth.passwords import verify_password
from storeapi.models import User
from storeapi.names import folded

SESSION_KEY = "admin"
SESSION_HOURS = 8
REFUSED = "Wrong email or password, or not an administrator."


def _fingerprint(password_hash: str) -> str:
    """Ties a login to the password: changing it ends every admin session."""
    key = current_app.extensions["keys"].admin_password
    return hmac.new(key, password_hash.encode(), hashlib.sha256).hexdigest()[:32]


def current_admin() -> User | None:
    """The administrator of this session, checked against the database once per request."""
    if "admin_user" in g:
        return g.admin_user
    user = None
    data = session.get(SESSION_KEY)
    if isinstance(data, dict) and time.time() - data.get("at", 0) < SESSION_HOURS * 3600:
        candidate = db.session().get(User, data.get("id"))
        if (
            candidate is not None
            and candidate.is_admin
            and hmac.compare_digest(data.get("pw", ""), _fingerprint(candidate.password_hash))
        ):
            user = candidate
    if user is None and data is not None:
        session.pop(SESSION_KEY, None)
    g.admin_user = user
    return user


def to_login() -> Response:
    return redirect(url_for("admin.login_view", next=request.full_path.rstrip("?")))


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/admin") and "//" not in target and "\\" not in target:
        return target
    return url_for("admin.index")


class LoginForm(FlaskForm):
    email = StringField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=128)])


class HomeView(AdminIndexView):
    """The panel's home (row counts), and the login and logout pages open to everyone."""

    OPEN = frozenset({"login_view", "logout_view"})

    def is_accessible(self) -> bool:
        return current_admin() is not None

    def inaccessible_callback(self, name: str, **kwargs: Any) -> Response:
        return to_login()

    def _handle_view(self, name: str, **kwargs: Any) -> Any:
        if name in self.OPEN:
            return None
        return super()._handle_view(name, **kwargs)

    @expose("/")
    def index(self) -> str:
        counts = [
            (view.name, f"{view.endpoint}.index_view", view.get_count_query().scalar())
            for view in self.admin._views
            if hasattr(view, "get_count_query")
        ]
        return self.render("admin/storeapi_index.html", counts=counts)

    @expose("/login/", methods=("GET", "POST"))
    def login_view(self) -> str | Response:
        form = LoginForm()
        next_url = _safe_next(request.args.get("next"))
        refused = None
        if form.validate_on_submit():
            user = (
                db.session()
                .execute(select(User).where(User.email_key == folded(form.email.data.strip())))
                .scalar_one_or_none()
            )
            ok = verify_password(user.password_hash if user else None, form.password.data)
            if ok and user is not None and user.is_admin:
                session.clear()
                session[SESSION_KEY] = {
                    "id": user.id,
                    "pw": _fingerprint(user.password_hash),
                    "at": int(time.time()),
                }
                return redirect(next_url)
            refused = REFUSED
        return self.render("admin/storeapi_login.html", form=form, next=next_url, refused=refused)

    @expose("/logout/", methods=("POST",))
    def logout_view(self) -> Response:
        if FlaskForm().validate_on_submit():
            session.clear()
        return redirect(url_for("admin.login_view"))
