"""Item pictures in the panel: a thumbnail in the items' table and details, and the edit form's
upload and removal, by the API's rules (the same decoding and limits, the same storage)."""

from __future__ import annotations

from typing import Any

from flask import current_app, g
from flask_wtf.file import FileField
from markupsafe import Markup
from sqlalchemy import select
from wtforms import BooleanField, Form
from wtforms.validators import ValidationError

from storeapi import db
from storeapi.http.problems import Problem
from storeapi.media import library
from storeapi.media.names import THUMBNAIL, media_url
from storeapi.media.storage import StorageUnavailable, storage
from storeapi.models import Item, Store

FORM_HAS_ERRORS = "The form has errors: see the fields below."


def thumbnail(view: Any, context: Any, model: Item, name: str) -> Markup:
    if model.image_sha256 is None:
        return Markup('<span class="text-muted">none</span>')
    src = media_url(model.image_sha256, THUMBNAIL)
    size = f"{model.image_width} x {model.image_height} px"
    return Markup(
        f'<img class="item-thumbnail" src="{src}" alt="{size}" title="{size}" width="64">'
    )


class ItemPictures:
    """For the items' view: mixed in before its ModelView."""

    column_formatters = {"image_sha256": thumbnail}
    column_formatters_detail = {"image_sha256": thumbnail}
    form_extra_fields = {
        "picture": FileField(
            "Picture", description="A JPEG, PNG or WebP image; replaces the current one"
        ),
        "remove_picture": BooleanField("Remove the picture"),
    }

    def on_model_change(self, form: Form, model: Item, is_created: bool) -> None:
        super().on_model_change(form, model, is_created)  # type: ignore[misc]
        g.replaced_picture = g.pinned_picture = None
        upload = form.picture.data
        if upload and getattr(upload, "filename", None):
            picture = _picture(form, upload)
            try:
                pinned = library.keep_in(db.session(), storage(), picture)
            except StorageUnavailable:
                form.picture.errors = ["The media storage is unavailable; try again shortly"]
                raise ValidationError(FORM_HAS_ERRORS) from None
            g.pinned_picture = (picture.sha256, pinned)
            g.replaced_picture = model.image_sha256
            model.image_sha256 = picture.sha256
            model.image_width, model.image_height = picture.width, picture.height
        elif form.remove_picture.data and model.image_sha256 is not None:
            g.replaced_picture = model.image_sha256
            model.image_sha256 = model.image_width = model.image_height = None

    def after_model_change(self, form: Form, model: Item, is_created: bool) -> None:
        pinned = g.pop("pinned_picture", None)
        if pinned is not None:
            library.release_picture(*pinned)
        replaced = g.pop("replaced_picture", None)
        if replaced is not None and replaced != model.image_sha256:
            library.collect_pictures([replaced])

    def on_model_delete(self, model: Item) -> None:
        super().on_model_delete(model)  # type: ignore[misc]
        g.deleted_picture = model.image_sha256

    def after_model_delete(self, model: Item) -> None:
        library.collect_pictures([g.pop("deleted_picture", None)])


class StorePictures:
    """For the stores' view: deleting a store deletes its items' pictures too."""

    def on_model_delete(self, model: Store) -> None:
        super().on_model_delete(model)  # type: ignore[misc]
        # Selected, not loaded through `model.items`: loaded items would be detached from the
        # store (their store_id set to NULL) instead of deleted by the database's cascade.
        pictures = select(Item.image_sha256).where(Item.store_id == model.id).distinct()
        g.deleted_pictures = db.session().scalars(pictures).all()

    def after_model_delete(self, model: Store) -> None:
        library.collect_pictures(g.pop("deleted_pictures", []))


def _picture(form: Form, upload: Any) -> Any:
    from storeapi.media.images import picture_from_upload

    settings = current_app.extensions["settings"]
    data = upload.stream.read(settings.max_image_bytes + 1)
    try:
        if len(data) > settings.max_image_bytes:
            raise Problem(413, f"The image is larger than {settings.max_image_bytes} bytes")
        return picture_from_upload(data, settings.max_image_pixels)
    except Problem as problem:
        form.picture.errors = [problem.detail]
        raise ValidationError(FORM_HAS_ERRORS) from None
