"""The panel's tables: list, search, filter, create, edit and delete, by the API's rules."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, g, has_app_context
from flask_admin.actions import action
from flask_admin.contrib.sqla import ModelView
from flask_admin.contrib.sqla.filters import FilterConverter as SQLAFilterConverter
from flask_admin.model.filters import convert
from flask_wtf import FlaskForm
from pydantic import BaseModel, create_model
from pydantic import ValidationError as InputError
from sqlalchemy import inspect, select, update
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response
from wtforms import DecimalField, Form, PasswordField
from wtforms.validators import ValidationError

from storeapi import db
from storeapi.admin.access import current_admin, to_login
from storeapi.admin.item_images import ItemPictures, StorePictures
from storeapi.auth import tokens
from storeapi.auth.live_logins import forget_after_commit
from storeapi.auth.passwords import hash_password
from storeapi.http.schemas import Input
from storeapi.models import Framework, Item, ItemTag, Store, Tag, User, utcnow
from storeapi.names import folded
from storeapi.resources.books import BookCreate
from storeapi.resources.frameworks import FrameworkCreate
from storeapi.resources.items import ItemCreate
from storeapi.resources.stores import StoreCreate
from storeapi.resources.tags import TagCreate
from storeapi.resources.users import Password, Registration

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


def _message(error: Any) -> str:
    """A pydantic error for a person: a pattern is not worth showing them."""
    if error["type"] == "string_pattern_mismatch":
        return "is not in the expected format"
    return error["msg"]


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
        return to_login()

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

    def is_taken(self, model: Any, key: Any, value: str, *where: Any) -> bool:
        """Whether another row has the folded key of `value` in the `key` column."""
        stmt = select(key).where(key == folded(value), *where)
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
    column_list = ("id", "email", "email_verified_at", "is_admin", "created_at")
    column_details_list = column_list
    column_searchable_list = ("email",)
    column_filters = ("is_admin", "email_verified_at", "created_at")
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
            if not is_created:  # as with every password change: the user's logins end
                tokens.revoke_user_logins(model.id)
        if not is_created and inspect(model).attrs.email.history.has_changes():
            model.email_verified_at = None  # a new address is verified anew
        if not is_created:  # rights or verification may have changed: not cached any longer
            forget_after_commit(user_id=model.id)

    @action("verify", "Mark verified", "Mark the selected users' addresses as verified?")
    def mark_verified(self, ids: list[str]) -> None:
        db.session().execute(
            update(User)
            .where(User.id.in_([int(i) for i in ids]), User.email_verified_at.is_(None))
            .values(email_verified_at=utcnow())
        )
        db.commit()
        for i in ids:
            forget_after_commit(user_id=int(i))
        flash(f"{len(ids)} address(es) marked verified.")

    def checks(self, model: User, is_created: bool) -> list[tuple[str, str]]:
        errors = []
        if is_created and not g.admin_new_password:
            errors.append(("password", "a new user needs a password"))
        if self.is_taken(model, User.email_key, model.email):
            errors.append(("email", "a user with this email already exists"))
        me = current_admin()
        if me is not None and model.id == me.id and not model.is_admin:
            errors.append(("is_admin", "you cannot take administrator rights from yourself"))
        return errors

    def on_model_delete(self, model: User) -> None:
        me = current_admin()
        if me is not None and model.id == me.id:
            raise ValidationError("You cannot delete your own account here.")
        forget_after_commit(user_id=model.id)


class StoreAdmin(StorePictures, SecureModelView):
    schema = StoreCreate
    column_list = ("id", "name", "owner", "created_at", "updated_at")
    column_details_list = column_list
    column_searchable_list = ("name",)
    column_filters = ("name", "owner.email", "created_at")
    column_sortable_list = ("id", "name", ("owner", "owner.email"), "created_at", "updated_at")
    form_columns = ("name", "owner")

    def checks(self, model: Store, is_created: bool) -> list[tuple[str, str]]:
        if self.is_taken(model, Store.name_key, model.name):
            return [("name", "a store with this name already exists")]
        return []

    def on_model_change(self, form: Form, model: Store, is_created: bool) -> None:
        super().on_model_change(form, model, is_created)
        if not is_created and inspect(model).attrs.name.history.has_changes():
            # Items show their store's name: their ETags must change too.
            db.session().execute(
                update(Item)
                .where(Item.store_id == model.id)
                .values(version=Item.version + 1, updated_at=utcnow())
            )


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


class ItemAdmin(ItemPictures, FixedStoreView):
    schema = ItemCreate
    column_list = ("id", "image_sha256", "name", "price", "store", "tags", "updated_at")
    column_details_list = (
        *("id", "image_sha256", "name", "price", "store", "tags", "created_at", "updated_at"),
    )
    column_labels = {**FixedStoreView.column_labels, "image_sha256": "Picture"}
    column_searchable_list = ("name",)
    column_filters = ("name", "price", "store.name", "tags.name", "created_at")
    column_sortable_list = ("id", "name", "price", ("store", "store.name"), "updated_at")
    form_columns = ("name", "price", "store", "tags", "picture", "remove_picture")
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
        if self.is_taken(model, Tag.name_key, model.name, Tag.store_id == model.store.id):
            return [("name", "this store already has a tag with this name")]
        return []

    def on_model_change(self, form: Form, model: Tag, is_created: bool) -> None:
        super().on_model_change(form, model, is_created)
        if not is_created:  # items show their tags' names: their ETags must change too
            db.session().execute(
                update(Item)
                .where(Item.id.in_(select(ItemTag.item_id).where(ItemTag.tag_id == model.id)))
                .values(version=Item.version + 1, updated_at=utcnow())
            )

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
        if self.is_taken(model, Framework.name_key, model.name):
            return [("name", "a framework with this name already exists")]
        return []
