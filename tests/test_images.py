"""Item pictures (resources/images.py, media/): uploads of real Pillow-made images, the refused
ones, the served files and what is left in storage, against both storages: a directory and a
real S3-compatible server (SeaweedFS, tests/s3server.py), on every test database."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image

from storeapi.media.storage import FileStorage, Storage, storage_of
from storeapi.models import Image as ImageRow
from tests import pictures
from tests.conftest import (
    Account,
    assert_problem,
    count_rows,
    create_item,
    non_fresh,
)
from tests.s3server import SeaweedS3, seaweed_s3

STORAGES = ["file", "s3"]


@pytest.fixture(scope="module")
def s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeaweedS3]:
    with seaweed_s3(tmp_path_factory.mktemp("seaweed")) as server:
        yield server


@dataclass
class Media:
    """An app on one storage, its test client, and a look into what that storage holds."""

    app: Flask
    client: FlaskClient
    storage: Storage

    def stored(self) -> list[str]:
        return sorted(name for name, _ in self.storage.names())


def media_app(make_app, tmp_path: Path, s3: SeaweedS3 | None = None, **settings) -> Media:  # type: ignore[no-untyped-def]
    """An app on the S3 server when one is given, else on a directory of its own."""
    if s3 is not None:
        s3.empty()
        settings = {
            "storage_url": s3.storage_url,
            "s3_endpoint_url": s3.endpoint,
            "s3_region": "us-east-1",
            **settings,
        }
    else:
        settings = {"storage_url": f"file://{tmp_path / 'media'}", **settings}
    app = make_app(**settings)
    return Media(app, app.test_client(), storage_of(app))


@pytest.fixture(params=STORAGES)
def media(request, make_app, tmp_path, client) -> Media:  # type: ignore[no-untyped-def]
    s3 = request.getfixturevalue("s3") if request.param == "s3" else None
    return media_app(make_app, tmp_path, s3)


def put_image(media: Media, item: dict, data: bytes, account: Account, **kwargs):  # type: ignore[no-untyped-def]
    headers = {**account.headers, **kwargs.pop("headers", {})}
    content_type = kwargs.pop("content_type", "image/jpeg")
    return media.client.put(
        f"/item/{item['id']}/image", data=data, content_type=content_type, headers=headers, **kwargs
    )


def served(media: Media, url: str) -> Image.Image:
    r = media.client.get(url)
    assert r.status_code == 200, r.get_data(True)
    assert r.mimetype == "image/webp"
    image = Image.open(io.BytesIO(r.data))
    assert image.format == "WEBP"
    return image


# --- uploads that are taken -----------------------------------------------------------------


def test_a_jpeg_is_stored_as_webp_without_its_exif_and_gps(media, user, item):
    original = pictures.jpeg_with_gps((1600, 1200))
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(pictures.GPS_IFD)  # it has GPS
    r = put_image(media, item, original, user)
    assert r.status_code == 201, r.get_data(True)
    body = r.get_json()
    image = body["image"]
    assert (image["width"], image["height"]) == (1600, 1200)
    assert r.headers["Location"] == image["url"]
    sha = image["url"].removeprefix("/media/").removesuffix(".webp")
    assert image["thumbnail_url"] == f"/media/{sha}-256.webp"
    assert body["_links"]["image"]["href"] == image["url"]
    assert body["_links"]["thumbnail"]["href"] == image["thumbnail_url"]
    assert body["_links"]["preview"]["href"] == f"/media/{sha}-1024.webp"

    picture = served(media, image["url"])
    assert picture.size == (1600, 1200)
    assert not picture.getexif() and "exif" not in picture.info and "xmp" not in picture.info
    raw = media.client.get(image["url"]).data
    assert b"EXIF" not in raw and b"Test Camera" not in raw
    assert served(media, image["thumbnail_url"]).size == (256, 192)
    assert served(media, body["_links"]["preview"]["href"]).size == (1024, 768)
    assert media.stored() == sorted([f"{sha}.webp", f"{sha}-256.webp", f"{sha}-1024.webp"])
    assert media.client.get(f"/item/{item['id']}").get_json()["image"] == image


def test_a_png_keeps_its_transparency(media, user, item):
    r = put_image(media, item, pictures.png_with_alpha((320, 200)), user, content_type="image/png")
    assert r.status_code == 201, r.get_data(True)
    picture = served(media, r.get_json()["image"]["url"])
    assert picture.mode == "RGBA" and picture.size == (320, 200)
    assert picture.getpixel((5, 5))[3] == 0 and picture.getpixel((300, 100))[3] == 255


def test_a_webp_upload_is_taken_and_small_images_are_not_enlarged(media, user, item):
    r = put_image(media, item, pictures.webp((400, 300)), user, content_type="image/webp")
    assert r.status_code == 201, r.get_data(True)
    image = r.get_json()["image"]
    assert (image["width"], image["height"]) == (400, 300)
    assert served(media, image["thumbnail_url"]).size == (256, 192)
    assert served(media, image["url"].replace(".webp", "-1024.webp")).size == (400, 300)


def test_the_exif_orientation_is_applied_before_it_is_dropped(media, user, item):
    r = put_image(media, item, pictures.jpeg_with_gps((640, 480), orientation=6), user)
    assert r.status_code == 201, r.get_data(True)
    image = r.get_json()["image"]
    assert (image["width"], image["height"]) == (480, 640)  # turned upright


def test_a_multipart_form_upload_is_taken(media, user, item):
    form = {"file": (io.BytesIO(pictures.jpeg_with_gps()), "holiday.jpg", "image/jpeg")}
    r = media.client.put(
        f"/item/{item['id']}/image", data=form, content_type="multipart/form-data",
        headers=user.headers,
    )  # fmt: skip
    assert r.status_code == 201, r.get_data(True)
    assert r.get_json()["image"]["width"] == 640


def test_the_type_comes_from_the_bytes_not_the_content_type(media, user, item):
    r = put_image(media, item, pictures.png_with_alpha(), user, content_type="text/plain")
    assert r.status_code == 201, r.get_data(True)


def test_data_appended_to_an_image_is_dropped(media, user, item):
    r = put_image(media, item, pictures.jpeg_with_gps() + b"TRAILING-SECRET" * 100, user)
    assert r.status_code == 201, r.get_data(True)
    for name in media.stored():
        found = media.storage.open(name)
        assert b"TRAILING-SECRET" not in b"".join(found.chunks)
        found.close()


def test_first_upload_is_201_a_replacement_200_and_the_old_files_go(media, user, item):
    first = put_image(media, item, pictures.jpeg_with_gps(), user)
    assert first.status_code == 201
    old = first.get_json()["image"]["url"]
    second = put_image(media, item, pictures.png_with_alpha(), user, content_type="image/png")
    assert second.status_code == 200, second.get_data(True)
    new = second.get_json()["image"]["url"]
    assert new != old
    assert media.client.get(old).status_code == 404
    assert len(media.stored()) == 3 and count_rows(media.client, ImageRow) == 1
    assert second.headers["ETag"] != first.headers["ETag"]


def test_if_match_is_honoured(media, user, item):
    etag = media.client.get(f"/item/{item['id']}").headers["ETag"]
    r = put_image(media, item, pictures.jpeg_with_gps(), user, headers={"If-Match": etag})
    assert r.status_code == 201
    stale = put_image(media, item, pictures.webp(), user, headers={"If-Match": etag})
    assert_problem(stale, 412)
    assert media.client.get(f"/item/{item['id']}").get_json()["image"] == r.get_json()["image"]
    assert len(media.stored()) == 3
    gone = media.client.delete(
        f"/item/{item['id']}/image", headers={**user.headers, "If-Match": etag}
    )
    assert_problem(gone, 412)
    current = r.headers["ETag"]
    gone = media.client.delete(
        f"/item/{item['id']}/image", headers={**user.headers, "If-Match": current}
    )
    assert gone.status_code == 204


def test_identical_images_are_stored_once(media, user, store, item):
    other_item = create_item(media.client, user, store["id"], "Table")
    data = pictures.jpeg_with_gps()
    a = put_image(media, item, data, user).get_json()["image"]
    b = put_image(media, other_item, data, user).get_json()["image"]
    assert a["url"] == b["url"]
    assert len(media.stored()) == 3 and count_rows(media.client, ImageRow) == 1
    # Removing it from one item keeps it for the other; from both, it goes.
    assert media.client.delete(f"/item/{item['id']}/image", headers=user.headers).status_code == 204
    assert media.client.get(a["url"]).status_code == 200
    r = media.client.delete(f"/item/{other_item['id']}/image", headers=user.headers)
    assert r.status_code == 204
    assert media.stored() == [] and count_rows(media.client, ImageRow) == 0
    assert media.client.get(f"/item/{item['id']}").get_json()["image"] is None


def test_deleting_an_item_or_its_store_leaves_no_files(media, user, store, item):
    other_item = create_item(media.client, user, store["id"], "Table")
    put_image(media, item, pictures.jpeg_with_gps(), user)
    put_image(media, other_item, pictures.webp(), user, content_type="image/webp")
    assert len(media.stored()) == 6
    assert media.client.delete(f"/item/{item['id']}", headers=user.headers).status_code == 204
    assert len(media.stored()) == 3
    r = media.client.delete(f"/store/{store['id']}", headers=user.headers)
    assert r.status_code == 204
    assert media.stored() == [] and count_rows(media.client, ImageRow) == 0


def test_removing_a_picture_the_item_does_not_have_changes_nothing(media, user, item):
    before = media.client.get(f"/item/{item['id']}")
    assert media.client.delete(f"/item/{item['id']}/image", headers=user.headers).status_code == 204
    assert media.client.get(f"/item/{item['id']}").headers["ETag"] == before.headers["ETag"]


# --- refused uploads: the right problem, nothing stored, the item unchanged -------------------

REFUSED = {
    "png-header-then-html": (pictures.PNG_THEN_HTML, 415, "unsupported-image"),
    "svg": (pictures.SVG, 415, "unsupported-image"),
    "gif": (pictures.gif(), 415, "unsupported-image"),
    "png-with-script-in-text": (
        pictures.png_with_text(b"<script>alert(1)</script>"),
        415,
        "unsupported-image",
    ),
    "1x1-declared-60000x60000": (pictures.png_declared_as(60000, 60000), 413, "image-too-large"),
    "6-mb-of-noise": (pictures.noise(6 * 1024 * 1024), 413, "image-too-large"),
    "empty-body": (b"", 422, "invalid-image"),
    "truncated-jpeg": (pictures.truncated_jpeg(), 422, "invalid-image"),
    "corrupt-png": (pictures.png_with_alpha()[:60] + b"\x00" * 200, 422, "invalid-image"),
}


@pytest.mark.parametrize("case", REFUSED)
def test_a_bad_upload_is_refused_and_stores_nothing(media, user, item, case):
    data, status, kind = REFUSED[case]
    before = media.client.get(f"/item/{item['id']}")
    r = put_image(media, item, data, user)
    problem = assert_problem(r, status)
    assert problem["type"].endswith("/" + kind)
    if status == 422:
        assert problem["errors"][0]["field"] == "body"
    assert media.stored() == [] and count_rows(media.client, ImageRow) == 0
    after = media.client.get(f"/item/{item['id']}")
    assert after.get_json() == before.get_json() and after.headers["ETag"] == before.headers["ETag"]


def test_the_pixel_limit_is_a_setting(make_app, user, item, tmp_path):
    app = make_app(max_image_pixels=100_000, storage_url=f"file://{tmp_path}")
    r = app.test_client().put(
        f"/item/{item['id']}/image",
        data=pictures.jpeg_with_gps((400, 300)),
        headers=user.headers,
    )
    assert "100000 pixels" in assert_problem(r, 413)["detail"]


def test_the_byte_limit_is_a_setting_for_raw_and_form_bodies(make_app, user, item, tmp_path):
    app = make_app(max_image_bytes=10_000, storage_url=f"file://{tmp_path}")
    client, data = app.test_client(), pictures.jpeg_with_gps((640, 480))
    assert len(data) > 10_000
    url = f"/item/{item['id']}/image"
    assert_problem(client.put(url, data=data, headers=user.headers), 413)
    form = {"file": (io.BytesIO(data), "big.jpg")}
    r = client.put(url, data=form, content_type="multipart/form-data", headers=user.headers)
    assert_problem(r, 413)
    chunked = client.put(
        url,
        input_stream=io.BytesIO(data),
        headers={**user.headers, "Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},  # as granian hands it over
    )
    assert assert_problem(chunked, 413)["type"].endswith("/image-too-large")


def test_a_form_without_the_file_field_is_a_422(media, user, item):
    form = {"picture": (io.BytesIO(pictures.webp()), "x.webp")}
    r = media.client.put(
        f"/item/{item['id']}/image", data=form, content_type="multipart/form-data",
        headers=user.headers,
    )  # fmt: skip
    assert assert_problem(r, 422)["errors"][0]["field"] == "file"


# --- who may write, who may read -----------------------------------------------------------


def test_only_the_owner_or_an_admin_may_set_or_remove_a_picture(
    media, user, other_user, admin, item
):
    data = pictures.jpeg_with_gps()
    assert_problem(put_image(media, item, data, other_user), 403)
    anonymous = media.client.put(f"/item/{item['id']}/image", data=data)
    assert_problem(anonymous, 401)
    assert media.stored() == []
    assert put_image(media, item, data, admin).status_code == 201
    url = f"/item/{item['id']}/image"
    assert_problem(media.client.delete(url, headers=other_user.headers), 403)
    assert_problem(media.client.delete(url), 401)
    owner_refreshed = non_fresh(media.client, user)  # not a deletion of the item: any token
    assert media.client.delete(url, headers=owner_refreshed.headers).status_code == 204


def test_pictures_are_readable_by_anyone_and_cached_for_good(media, user, item):
    image = put_image(media, item, pictures.jpeg_with_gps(), user).get_json()["image"]
    r = media.client.get(image["thumbnail_url"])  # no token
    assert r.status_code == 200
    assert r.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    etag = r.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    csp = r.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src" not in csp
    assert int(r.headers["Content-Length"]) == len(r.data)
    again = media.client.get(image["thumbnail_url"], headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    assert media.client.head(image["thumbnail_url"]).status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/media/nothing.webp", "/media/" + "0" * 64 + ".png", "/media/" + "a" * 64 + "-99.webp"],
)
def test_names_the_api_never_stores_are_404(media, path):
    assert_problem(media.client.get(path), 404)


def test_a_picture_that_is_not_stored_is_404(media):
    assert_problem(media.client.get("/media/" + "0" * 64 + ".webp"), 404)


# --- storage that fails --------------------------------------------------------------------


def _storage_goes_away(media: Media, request: pytest.FixtureRequest) -> None:
    if isinstance(media.storage, FileStorage):
        shutil.rmtree(media.storage.root, ignore_errors=True)
        media.storage.root.write_text("not a directory any more")
    else:
        request.getfixturevalue("s3").kill()


def _storage_comes_back(media: Media, request: pytest.FixtureRequest) -> None:
    if isinstance(media.storage, FileStorage):
        media.storage.root.unlink()
        media.storage.root.mkdir()
    else:
        request.getfixturevalue("s3").start()


def test_an_upload_while_the_storage_is_away_is_503_and_leaves_the_item(media, user, item, request):
    first = put_image(media, item, pictures.jpeg_with_gps(), user).get_json()
    _storage_goes_away(media, request)
    try:
        r = put_image(media, item, pictures.webp(), user, content_type="image/webp")
        assert_problem(r, 503)
        assert r.headers["Retry-After"]
        after = media.client.get(f"/item/{item['id']}").get_json()
        assert after["image"] == first["image"] and after["updated_at"] == first["updated_at"]
        assert_problem(media.client.get(first["image"]["url"]), 503)
    finally:
        _storage_comes_back(media, request)
    assert count_rows(media.client, ImageRow) == 2  # the failed one's row, for gc


def test_the_storage_going_away_mid_upload_leaves_the_item_and_gc_cleans_up(
    make_app, tmp_path, client, user, item, s3, database_url
):
    """SeaweedFS is killed after the upload's first file is written: the request is a 503, the
    item is as it was, and `storeapi media gc` removes the half-written picture later."""
    media = media_app(make_app, tmp_path, s3)
    kept = put_image(media, item, pictures.jpeg_with_gps(), user).get_json()
    puts: list[str] = []

    def kill_after_the_first_file(**kwargs) -> None:  # type: ignore[no-untyped-def]
        puts.append(kwargs["request"].url)
        if len(puts) == 2:
            s3.kill()

    events = media.storage.client.meta.events  # type: ignore[attr-defined]
    events.register("before-send.s3.PutObject", kill_after_the_first_file)
    try:
        r = put_image(media, item, pictures.png_with_alpha((1200, 900)), user)
    finally:
        events.unregister("before-send.s3.PutObject", kill_after_the_first_file)
        s3.start()
    assert_problem(r, 503)
    assert len(puts) >= 2
    after = media.client.get(f"/item/{item['id']}").get_json()
    assert after["image"] == kept["image"] and after["updated_at"] == kept["updated_at"]
    assert len(media.stored()) == 4  # the kept picture's three files and one of the new
    assert count_rows(media.client, ImageRow) == 2

    result = run_gc(database_url, media, "--grace-minutes", "0")
    assert "deleted 1 unused picture(s)" in result
    assert len(media.stored()) == 3 and count_rows(media.client, ImageRow) == 1
    assert media.client.get(kept["image"]["thumbnail_url"]).status_code == 200


def run_gc(database_url: str, media: Media, *args: str) -> str:
    from click.testing import CliRunner

    from storeapi.cli import main

    settings = media.app.extensions["settings"]
    env = {
        "DATABASE_URL": database_url,
        "STORAGE_URL": settings.storage_url,
        "S3_ENDPOINT_URL": settings.s3_endpoint_url or "",
        "S3_REGION": settings.s3_region or "",
        "STOREAPI_ENV": "test",
    }
    result = CliRunner().invoke(main, ["media", "gc", *args], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def test_gc_deletes_stray_files_and_keeps_young_ones_and_pictures_in_use(
    media, user, item, database_url
):
    image = put_image(media, item, pictures.jpeg_with_gps(), user).get_json()["image"]
    stray = "f" * 64 + "-256.webp"
    media.storage.put(stray, b"left by a crash")
    assert "0 stray file(s)" in run_gc(database_url, media)  # young: may be an upload's
    assert stray in media.stored()
    assert "1 stray file(s)" in run_gc(database_url, media, "--grace-minutes", "0")
    assert stray not in media.stored() and len(media.stored()) == 3
    assert media.client.get(image["url"]).status_code == 200


def test_with_media_redirect_s3_pictures_redirect_to_a_signed_url(
    make_app, tmp_path, client, user, item, s3
):
    media = media_app(make_app, tmp_path, s3, media_redirect=True)
    image = put_image(media, item, pictures.jpeg_with_gps(), user).get_json()["image"]
    r = media.client.get(image["thumbnail_url"])
    assert r.status_code == 302
    location = r.headers["Location"]
    assert location.startswith(s3.endpoint) and "X-Amz-Signature=" in location
    fetched = httpx.get(location)
    assert fetched.status_code == 200 and fetched.headers["Content-Type"] == "image/webp"
    assert fetched.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert Image.open(io.BytesIO(fetched.content)).size == (256, 192)
    assert httpx.get(location.replace("X-Amz-Signature=", "X-Amz-Signature=0")).status_code == 403


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"storage_url": "ftp://host/media"}, "STORAGE_URL must be file://"),
        ({"max_image_pixels": 100_000_000}, "MAX_IMAGE_PIXELS must be at most 89478485"),
        ({"media_redirect": True}, "MEDIA_REDIRECT needs an s3:// STORAGE_URL"),
        ({"max_image_bytes": 0}, "max_image_bytes must be at least 1"),
    ],
)
def test_picture_settings_that_cannot_work_stop_the_start(overrides, message):
    from storeapi.settings import SettingsError
    from tests.conftest import test_settings

    with pytest.raises(SettingsError, match=message):
        test_settings("sqlite://", **overrides)


def test_storage_url_chooses_the_storage(tmp_path):
    from storeapi.media.s3 import S3Storage
    from storeapi.media.storage import open_storage
    from tests.conftest import test_settings

    files = open_storage(test_settings("sqlite://", storage_url=f"file://{tmp_path}/m"))
    assert isinstance(files, FileStorage) and files.root == tmp_path / "m"
    relative = open_storage(test_settings("sqlite://", storage_url="file://./media"))
    assert isinstance(relative, FileStorage) and str(relative.root) == "media"
    bucket = open_storage(
        test_settings(
            "sqlite://",
            storage_url="s3://pictures/shop/items/",
            s3_endpoint_url="http://127.0.0.1:1",
            s3_region="us-east-1",
        )
    )
    assert isinstance(bucket, S3Storage)
    assert (bucket.bucket, bucket.prefix) == ("pictures", "shop/items/")


def test_concurrent_uploads_and_removals_of_shared_pictures_leave_no_orphan_and_no_gap(
    media, user, store
):
    """Items share two pictures; threads upload and remove them at once. At the end every
    item's picture is served, and storage holds exactly the pictures some item shows."""
    from concurrent.futures import ThreadPoolExecutor

    items = [create_item(media.client, user, store["id"], f"Thing {n}") for n in range(4)]
    shared = [pictures.webp((120, 90)), pictures.png_with_alpha((90, 120))]

    def act(n: int) -> int:
        item = items[n % len(items)]
        if n % 3 == 2:
            url = f"/item/{item['id']}/image"
            return media.client.delete(url, headers=user.headers).status_code
        return put_image(media, item, shared[n % 2], user).status_code

    with ThreadPoolExecutor(4) as pool:
        statuses = list(pool.map(act, range(24)))
    assert set(statuses) <= {200, 201, 204}, statuses
    shown = set()
    for item in items:
        image = media.client.get(f"/item/{item['id']}").get_json()["image"]
        if image is not None:
            assert media.client.get(image["thumbnail_url"]).status_code == 200
            shown.add(image["url"].removeprefix("/media/").removesuffix(".webp"))
    expected = sorted(f"{sha}{suffix}.webp" for sha in shown for suffix in ("", "-1024", "-256"))
    assert media.stored() == expected
    assert count_rows(media.client, ImageRow) == len(shown)


def test_an_items_picture_is_in_its_json_ld_too(media, user, item):
    put_image(media, item, pictures.webp(), user, content_type="image/webp")
    ld = media.client.get(f"/item/{item['id']}", headers={"Accept": "application/ld+json"})
    body = ld.get_json()
    assert body["@type"] == "Product" and body["image"]["width"] == 400
    assert body["@context"]["thumbnail_url"] == "thumbnailUrl"


@pytest.mark.parametrize("form", [False, True], ids=["raw", "form"])
def test_the_upload_reads_the_same_bytes_when_a_deadlock_reruns_the_handler(app, form):
    """db.retrying_conflicts reruns a handler whose transaction the database aborted: the
    body must still be there the second time."""
    from storeapi.resources.images import _uploaded_bytes

    data = pictures.webp()
    body = {"data": {"file": (io.BytesIO(data), "x.webp")}} if form else {"data": data}
    with app.test_request_context("/item/1/image", method="PUT", **body):
        assert _uploaded_bytes(1_000_000) == data
        assert _uploaded_bytes(1_000_000) == data
