"""Item pictures: PUT and DELETE /item/{id}/image, and the stored files at /media/{name}.

An upload is decoded and re-encoded (media/images.py) before anything is stored, its files are
written before the item points at them, and the item changes in a transaction of its own, so a
failed upload leaves the item as it was (media/library.py says how no file is orphaned).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, Response, current_app, request
from sqlalchemy import bindparam, select, update
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.routing import BaseConverter

from storeapi import db
from storeapi.auth.guards import TOKEN
from storeapi.http.api import Upload, operation
from storeapi.http.openapi_routes import FILE_ROUTES, StoredFileRoute
from storeapi.http.problems import Problem, not_found, validation_error
from storeapi.http.representations import no_content, render
from storeapi.http.responses import EmptyResponse, add_headers
from storeapi.media import library
from storeapi.media.names import MEDIA_NAME, MEDIA_TYPE
from storeapi.media.storage import StorageUnavailable, storage
from storeapi.models import Item, Store, utcnow

if TYPE_CHECKING:  # not at run time: Pillow is loaded only where uploads are decoded
    from storeapi.media.images import Picture
from storeapi.resources.item_rows import item_and_etag, item_ld
from storeapi.resources.item_writes import check_may_change, item_for_write
from storeapi.resources.items import TAG, ItemPublic

bp = Blueprint("images", __name__)
IMMUTABLE = "public, max-age=31536000, immutable"
REDIRECT_CACHE = "private, max-age=60"  # well inside the signed URL's lifetime
FORM_ROOM = 64 * 1024  # a multipart body's boundaries and part headers, beyond the file
UPLOAD = Upload(
    ("image/jpeg", "image/png", "image/webp"),
    "file",
    "A JPEG, PNG or WebP image, at most MAX_IMAGE_BYTES and MAX_IMAGE_PIXELS; its type is "
    "read from its bytes, whatever the Content-Type or file name say",
)
ERRORS = {403: "Not the store's owner", 404: "No such item", 412: "The item changed"}

# An unlocked look at the item before the upload is decoded: a caller who may not change it
# is refused before the work (the write checks again, under the item's lock).
ITEM_OWNER = db.Prepared(
    select(Item.version, Store.owner_id)
    .join(Store, Store.id == Item.store_id)
    .where(Item.id == bindparam("item_id"))
)
_SET = update(Item).where(Item.id == bindparam("item_id"), Item.version == bindparam("expected"))
SET_ITEM_IMAGE = db.Prepared(
    _SET.values(
        image_sha256=bindparam("sha256", type_=Item.image_sha256.type),
        image_width=bindparam("width", type_=Item.image_width.type),
        image_height=bindparam("height", type_=Item.image_height.type),
        version=Item.version + 1,
        updated_at=bindparam("now", type_=Item.updated_at.type),
    ).returning(Item.id)
)


class MediaNameConverter(BaseConverter):
    """`<media:name>`: only names the API stores match, anything else is a 404."""

    regex = MEDIA_NAME


@operation(
    bp,
    "/item/<int:item_id>/image",
    "PUT",
    tag=TAG,
    guard=TOKEN,
    response=ItemPublic,
    ld=True,
    upload=UPLOAD,
    other_statuses={201: "The item's first picture"},
    errors={**ERRORS, 503: "The media storage is unavailable; see Retry-After"},
)
def put_item_image(item_id: int) -> Response:
    """Set or replace an item's picture (owner): 201 the first time, 200 after"""
    _check_may_change(item_id)
    settings = current_app.extensions["settings"]
    data = _uploaded_bytes(settings.max_image_bytes)
    # Imported here: Pillow is loaded by the workers that receive an upload, not by every one.
    from storeapi.media.images import picture_from_upload

    picture = picture_from_upload(data, settings.max_image_pixels)
    replaced, item, etag = _show_picture(item_id, picture)
    if replaced != picture.sha256:
        library.collect_pictures([replaced])
    status = 201 if replaced is None else 200
    headers = {"Location": item["image"]["url"]}
    return render(item, status, etag=etag, ld=item_ld, headers=headers)


def _show_picture(item_id: int, picture: Picture) -> tuple[str | None, dict, str]:
    """Store the picture's files, then point the item at it in a transaction of its own: the
    picture the item showed before, and its new representation and ETag. On any failure the
    item is as it was, and the picture goes unless another item or upload holds it."""
    engine, files = current_app.extensions["engine"], storage()
    pinned = library.pin(engine, picture)
    try:
        library.store(files, picture)
        row = item_for_write(item_id)
        _set_image(item_id, row.version, picture.sha256, picture.width, picture.height)
        item, etag = item_and_etag(item_id)
        db.commit()
    except StorageUnavailable:
        raise _storage_unavailable() from None
    finally:
        db.rollback()  # a failed write ends here, so that its lock is not held while releasing
        library.release(engine, files, picture.sha256, pinned)
    return row.image_sha256, item, etag


def _storage_unavailable() -> Problem:
    return Problem(
        503, "The media storage is unavailable; try again shortly", headers={"Retry-After": "5"}
    )


@operation(
    bp,
    "/item/<int:item_id>/image",
    "DELETE",
    tag=TAG,
    guard=TOKEN,
    status=204,
    errors=ERRORS,
)
def delete_item_image(item_id: int) -> Response:
    """Remove an item's picture (owner); removing none changes nothing"""
    row = item_for_write(item_id)
    if row.image_sha256 is not None:
        _set_image(item_id, row.version, None, None, None)
        db.commit()
        library.collect_pictures([row.image_sha256])
    return no_content()


def _check_may_change(item_id: int) -> None:
    check_may_change(item_id, ITEM_OWNER.first({"item_id": item_id}))


def _set_image(
    item_id: int, expected: int, sha256: str | None, width: int | None, height: int | None
) -> None:
    params = {"item_id": item_id, "expected": expected, "now": utcnow()}
    params |= {"sha256": sha256, "width": width, "height": height}
    if len(SET_ITEM_IMAGE.rows(params)) != 1:  # the row is locked: cannot happen, but say so
        raise Problem(412, "The item changed while you were writing", type="precondition-failed")


def _uploaded_bytes(limit: int) -> bytes:
    """The image: the raw body, or the `file` field of a multipart form; 413 over `limit`."""
    form = request.mimetype == "multipart/form-data"
    allowed = limit + FORM_ROOM if form else limit
    if request.content_length is not None and request.content_length > allowed:
        raise _too_large(limit)
    # A body without a length is cut off one byte past the limit: reading that byte tells a
    # body over the limit from one just at it.
    request.max_content_length = allowed + 1
    try:  # read so that a rerun (after a deadlock, db.retrying_conflicts) reads it again
        if form:
            upload = request.files.get("file")
            if upload is None:
                raise validation_error("file", "send the image in the form field `file`")
            upload.stream.seek(0)
            data = upload.stream.read(limit + 1)
        else:
            data = request.get_data(cache=True)
    except RequestEntityTooLarge:
        raise _too_large(limit) from None
    if len(data) > limit:
        raise _too_large(limit)
    return data


def _too_large(limit: int) -> Problem:
    return Problem(413, f"The image is larger than {limit} bytes", type="image-too-large")


@bp.get("/media/<media:name>")
def media_file(name: str) -> Response:
    """A stored picture, at a name made of its content's hash: it never changes."""
    etag = f'"{name.removesuffix(".webp")}"'
    if _names_etag(request.environ.get("HTTP_IF_NONE_MATCH", ""), etag):
        response = EmptyResponse(status=304)
        add_headers(response, (("ETag", etag), ("Cache-Control", IMMUTABLE)))
        return response
    settings = current_app.extensions["settings"]
    files = storage()
    try:
        if settings.media_redirect:
            url = files.redirect_url(name, settings.media_url_seconds)
            if url is not None:
                response = Response(status=302, headers={"Location": url})
                response.headers["Cache-Control"] = REDIRECT_CACHE
                return response
        found = files.open(name)
    except StorageUnavailable:
        raise _storage_unavailable() from None
    if found is None:
        raise not_found("Picture")
    response = Response(found.chunks, content_type=found.media_type, direct_passthrough=True)
    response.call_on_close(found.close)
    response.content_length = found.size
    add_headers(response, (("ETag", etag), ("Cache-Control", IMMUTABLE)))
    return response


def _names_etag(header: str, etag: str) -> bool:
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    return etag in tags or "*" in tags


FILE_ROUTES.append(
    StoredFileRoute(
        "/media/{name}",
        "media_file",
        "A stored picture or thumbnail (immutable: cache it for good)",
        TAG,
        MEDIA_TYPE,
        {
            "name": "name",
            "in": "path",
            "required": True,
            "schema": {"type": "string", "pattern": f"^{MEDIA_NAME}$"},
        },
        {404: "No such picture", 503: "The media storage is unavailable; see Retry-After"},
    )
)
