"""The admin panel at /admin: Flask-Admin views of every table, for administrators only.

Access is by its own login form (Flask-WTF, CSRF-protected) and the Flask session cookie
(HttpOnly, SameSite=Lax, Secure when SECURE_COOKIES). Every request re-reads the admin from
the database, so a demoted or deleted admin, or one whose password changed, is out at once.
Writes go through the API's own pydantic input models, so the panel refuses what the API
refuses (a price with three decimals, a duplicate store name), as form errors. Edits bump
`version` and `updated_at`, so the API's ETags change. Password hashes are never shown.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any

from flask import (
    Flask,
    current_app,
    flash,
    g,
    has_app_context,
    redirect,
    request,
    session,
    url_for,
)
from flask_admin import Admin, AdminIndexView, expose
from flask_admin.contrib.sqla import ModelView
from flask_admin.contrib.sqla.filters import FilterConverter as SQLAFilterConverter
from flask_admin.model.filters import convert
from flask_admin.theme import Bootstrap4Theme
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from pydantic import BaseModel, create_model
from pydantic import ValidationError as InputError
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response
from wtforms import DecimalField, Form, PasswordField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from storeapi import db
from storeapi.auth.passwords import hash_password, verify_password
from storeapi.http.schemas import Input
from storeapi.models import Book, Framework, Item, Store, Tag, User, utcnow
from storeapi.resources.books import BookCreate
from storeapi.resources.frameworks import FrameworkCreate
from storeapi.resources.items import ItemCreate
from storeapi.resources.stores import StoreCreate
from storeapi.resources.tags import TagCreate
from storeapi.resources.users import Password, Registration
from storeapi.settings import Settings

# Flask-Admin's templates carry a few fixed inline handlers (the delete confirmation, the
# filter and bulk-action menus); the panel's CSP allows exactly those, by hash, and no other
# inline script.
INLINE_HANDLERS = (
    "return faHelpers.safeConfirm('Are you sure you want to delete this record?');",
    "return modelActions.execute('delete');",
    "return false;",
    "javascript:void(0)",
)


def _csp_hash(source: str) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()}'"


ADMIN_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    f"script-src 'self' 'unsafe-hashes' {' '.join(map(_csp_hash, INLINE_HANDLERS))}; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)
SESSION_KEY = "admin"
SESSION_HOURS = 8
REFUSED = "Wrong email or password, or not an administrator."
FORM_HAS_ERRORS = "The form has errors: see the fields below."

UserChange = create_model(
    "UserChange",
    __base__=Input,
    email=(Registration.model_fields["email"].annotation, Registration.model_fields["email"]),
    password=(Password | None, None),
)


class RequestSession:
    """Flask-Admin's session: every call goes to the request's own unit of work."""

    session = None  # tells Flask-Admin this is a session, not a Flask-SQLAlchemy object

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or not has_app_context():
            raise AttributeError(name)
        return getattr(db.session(), name)


def _fingerprint(password_hash: str) -> str:
    """Ties a login to the password: changing it ends every admin session."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, password_hash.encode(), hashlib.sha256).hexdigest()[:32]


def _message(error: Any) -> str:
    """A pydantic error for a person: a pattern is not worth showing them."""
    if error["type"] == "string_pattern_mismatch":
        return "is not in the expected format"
    return error["msg"]


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


def _to_login() -> Response:
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
        return _to_login()

    def _handle_view(self, name: str, **kwargs: Any) -> Any:
        if name in self.OPEN:
            return None
        return super()._handle_view(name, **kwargs)

    @expose("/")
    def index(self) -> str:
        counts = [
            (view.name, f"{view.endpoint}.index_view", view.get_count_query().scalar())
            for view in self.admin._views
            if isinstance(view, SecureModelView)
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
                .execute(
                    select(User).where(func.lower(User.email) == form.email.data.strip().lower())
                )
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


class FilterConverter(SQLAFilterConverter):
    """Filters for this project's column types (Flask-Admin knows them by class name)."""

    @convert("UTCDateTime")
    def conv_utc_datetime(self, column: Any, name: str, **kwargs: Any) -> list:
        return self.conv_datetime(column, name, **kwargs)

    @convert("Money")
    def conv_money(self, column: Any, name: str, **kwargs: Any) -> list:
        return self.conv_float(column, name, **kwargs)


class SecureModelView(ModelView):
    """A table for administrators: API validation on every write, ETag-visible edits."""

    form_base_class = FlaskForm
    filter_converter = FilterConverter()
    schema: type[BaseModel]
    form_fields: dict[str, str] = {}  # the API's field name -> this form's field name
    unique: tuple[str, str] | None = None  # (field, message) checked case-insensitively
    can_view_details = True
    column_display_pk = True
    column_labels = {"store.name": "Store", "tags.name": "Tag", "owner.email": "Owner"}
    page_size = 50
    can_set_page_size = True
    form_excluded_columns = ("version", "created_at", "updated_at")
    column_details_exclude_list = ("password_hash",)

    def __init__(self, model: type, name: str, endpoint: str) -> None:
        super().__init__(model, RequestSession(), name=name, endpoint=endpoint)  # type: ignore[arg-type]

    def is_accessible(self) -> bool:
        return current_admin() is not None

    def inaccessible_callback(self, name: str, **kwargs: Any) -> Response:
        return _to_login()

    def api_input(self, model: Any) -> dict[str, Any]:
        """What the API would have received for this object."""
        return {name: getattr(model, name) for name in self.schema.model_fields}

    def checks(self, model: Any, is_created: bool) -> list[tuple[str, str]]:
        """Rules beyond the input model: (field, message) for each one broken."""
        return []

    def on_model_change(self, form: Form, model: Any, is_created: bool) -> None:
        errors: list[tuple[str, str]] = []
        try:
            valid = self.schema.model_validate(self.api_input(model))
        except InputError as exc:
            errors = [(str(e["loc"][0]) if e["loc"] else "", _message(e)) for e in exc.errors()]
        else:
            for name, value in valid.model_dump().items():
                if hasattr(model, name) and not name.endswith("_id") and name != "password":
                    setattr(model, name, value)
            with db.session().no_autoflush:
                errors = self.checks(model, is_created)
        if errors:
            for name, message in errors:
                field = getattr(form, self.form_fields.get(name, name), None)
                if field is None:
                    flash(message, "error")
                else:
                    field.errors = [*field.errors, message]
            raise ValidationError(FORM_HAS_ERRORS)
        if hasattr(model, "version") and not is_created:
            model.version = (model.version or 0) + 1
            model.updated_at = utcnow()

    def is_taken(self, model: Any, column: Any, value: str, *where: Any) -> bool:
        stmt = select(column).where(func.lower(column) == value.lower(), *where)
        if model.id is not None:
            stmt = stmt.where(type(model).id != model.id)
        return db.session().execute(stmt.limit(1)).first() is not None

    def handle_view_exception(self, exc: Exception) -> bool:
        if isinstance(exc, SQLAlchemyError):  # never show SQL: a race on a unique name, say
            current_app.logger.warning("admin write refused: %s", type(exc).__name__)
            flash("The change conflicts with the current data; reload and try again.", "error")
            return True
        return super().handle_view_exception(exc)


class UserAdmin(SecureModelView):
    schema = UserChange
    form_fields = {"password": "new_password"}
    column_list = ("id", "email", "is_admin", "created_at")
    column_details_list = column_list
    column_searchable_list = ("email",)
    column_filters = ("is_admin", "created_at")
    column_sortable_list = column_list
    form_columns = ("email", "is_admin", "new_password")
    form_extra_fields = {
        "new_password": PasswordField(
            "New password", description="Leave empty to keep the current password"
        )
    }

    def api_input(self, model: User) -> dict[str, Any]:
        return {"email": model.email, "password": g.admin_new_password or None}

    def on_model_change(self, form: Form, model: User, is_created: bool) -> None:
        g.admin_new_password = form.new_password.data or ""
        super().on_model_change(form, model, is_created)
        if g.admin_new_password:
            model.password_hash = hash_password(g.admin_new_password)

    def checks(self, model: User, is_created: bool) -> list[tuple[str, str]]:
        errors = []
        if is_created and not g.admin_new_password:
            errors.append(("password", "a new user needs a password"))
        if self.is_taken(model, User.email, model.email):
            errors.append(("email", "a user with this email already exists"))
        me = current_admin()
        if me is not None and model.id == me.id and not model.is_admin:
            errors.append(("is_admin", "you cannot take administrator rights from yourself"))
        return errors

    def on_model_delete(self, model: User) -> None:
        me = current_admin()
        if me is not None and model.id == me.id:
            raise ValidationError("You cannot delete your own account here.")


class StoreAdmin(SecureModelView):
    schema = StoreCreate
    column_list = ("id", "name", "owner", "created_at", "updated_at")
    column_details_list = column_list
    column_searchable_list = ("name",)
    column_filters = ("name", "owner.email", "created_at")
    column_sortable_list = ("id", "name", ("owner", "owner.email"), "created_at", "updated_at")
    form_columns = ("name", "owner")

    def checks(self, model: Store, is_created: bool) -> list[tuple[str, str]]:
        if self.is_taken(model, Store.name, model.name):
            return [("name", "a store with this name already exists")]
        return []


class FixedStoreView(SecureModelView):
    """Items and tags stay in the store they were created in, as in the API."""

    form_fields = {"store_id": "store"}

    def edit_form(self, obj: Any = None) -> Form:
        form = super().edit_form(obj)
        del form.store
        return form

    def api_input(self, model: Any) -> dict[str, Any]:
        data = super().api_input(model)
        store = model.store
        data["store_id"] = store.id if store is not None else None
        return data


class ItemAdmin(FixedStoreView):
    schema = ItemCreate
    column_list = ("id", "name", "price", "store", "tags", "updated_at")
    column_details_list = ("id", "name", "price", "store", "tags", "created_at", "updated_at")
    column_searchable_list = ("name",)
    column_filters = ("name", "price", "store.name", "tags.name", "created_at")
    column_sortable_list = ("id", "name", "price", ("store", "store.name"), "updated_at")
    form_columns = ("name", "price", "store", "tags")
    form_overrides = {"price": DecimalField}
    form_args = {"price": {"places": 2}}

    def checks(self, model: Item, is_created: bool) -> list[tuple[str, str]]:
        strays = sorted(t.name for t in model.tags if t.store_id != model.store.id)
        if strays:
            return [("tags", f"not tags of this item's store: {', '.join(strays)}")]
        return []


class TagAdmin(FixedStoreView):
    schema = TagCreate
    column_list = ("id", "name", "store", "updated_at")
    column_details_list = ("id", "name", "store", "items", "created_at", "updated_at")
    column_searchable_list = ("name",)
    column_filters = ("name", "store.name", "created_at")
    column_sortable_list = ("id", "name", ("store", "store.name"), "updated_at")
    form_columns = ("name", "store")

    def api_input(self, model: Tag) -> dict[str, Any]:
        return {"name": model.name}

    def checks(self, model: Tag, is_created: bool) -> list[tuple[str, str]]:
        if model.store is None:
            return [("store_id", "choose a store")]
        if self.is_taken(model, Tag.name, model.name, Tag.store_id == model.store.id):
            return [("name", "this store already has a tag with this name")]
        return []

    def on_model_delete(self, model: Tag) -> None:
        if model.items:
            raise ValidationError(
                f"The tag {model.name!r} is linked to {len(model.items)} item(s): "
                "unlink them first."
            )


class BookAdmin(SecureModelView):
    schema = BookCreate
    column_list = ("id", "title", "author", "genre", "updated_at")
    column_details_list = ("id", "title", "author", "genre", "created_at", "updated_at")
    column_searchable_list = ("title", "author")
    column_filters = ("author", "genre", "created_at")
    column_sortable_list = column_list
    form_columns = ("title", "author", "genre")


class FrameworkAdmin(SecureModelView):
    schema = FrameworkCreate
    column_list = ("id", "name", "created", "parent", "updated_at")
    column_details_list = ("id", "name", "created", "parent", "created_at", "updated_at")
    column_searchable_list = ("name", "parent")
    column_filters = ("created", "parent")
    column_sortable_list = column_list
    form_columns = ("name", "created", "parent")

    def checks(self, model: Framework, is_created: bool) -> list[tuple[str, str]]:
        if self.is_taken(model, Framework.name, model.name):
            return [("name", "a framework with this name already exists")]
        return []


def _admin_headers(response: Response) -> Response:
    """Panel pages: their own CSP, and never cached (they show users' data)."""
    if request.path.startswith("/admin") and response.mimetype == "text/html":
        response.headers["Content-Security-Policy"] = ADMIN_CSP
        response.headers["Cache-Control"] = "no-store"
    return response


def init_admin(app: Flask, settings: Settings) -> Admin:
    """Mount the panel at /admin; call after the rate limiter is set up."""
    app.config.update(
        # The API sends `Referrer-Policy: no-referrer`, so the HTTPS referrer check of
        # Flask-WTF would refuse every form; the token and the SameSite cookie remain.
        WTF_CSRF_SSL_STRICT=False,
        WTF_CSRF_TIME_LIMIT=SESSION_HOURS * 3600,
    )
    admin = Admin(
        app,
        name="storeapi admin",
        url="/admin",
        index_view=HomeView(name="Home", url="/admin"),
        theme=Bootstrap4Theme(base_template="admin/storeapi_master.html", fluid=True),
    )
    admin.add_view(UserAdmin(User, "Users", "admin_users"))
    admin.add_view(StoreAdmin(Store, "Stores", "admin_stores"))
    admin.add_view(ItemAdmin(Item, "Items", "admin_items"))
    admin.add_view(TagAdmin(Tag, "Tags", "admin_tags"))
    admin.add_view(BookAdmin(Book, "Books", "admin_books"))
    admin.add_view(FrameworkAdmin(Framework, "Frameworks", "admin_frameworks"))
    app.jinja_env.globals["csrf_token"] = generate_csrf
    app.after_request(_admin_headers)
    app.context_processor(lambda: {"current_admin": g.get("admin_user")})
    limiter = app.extensions.get("rate_limiter")
    if limiter is not None:  # the same per-address budget as the API's /login
        from storeapi.http.limits import client_address

        view = limiter.limit(settings.login_rate_limit, key_func=client_address, methods=["POST"])
        app.view_functions["admin.login_view"] = view(app.view_functions["admin.login_view"])
    return admin
