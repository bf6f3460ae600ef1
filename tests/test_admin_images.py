"""Item pictures in the admin panel (admin/item_images.py): the thumbnail in the items' table,
upload and removal in the edit form, and no files left when the panel deletes."""

from __future__ import annotations

import io

from storeapi.media.storage import storage_of
from storeapi.models import Image
from tests import pictures
from tests.conftest import count_rows, create_item, create_store
from tests.test_admin import csrf_token, field_errors, panel  # noqa: F401  (the fixture)


def edit_with_picture(client, item: dict, data: bytes, **extra):  # type: ignore[no-untyped-def]
    url = f"/admin/items/edit/?id={item['id']}"
    form = {
        "csrf_token": csrf_token(client, url),
        "name": item["name"],
        "price": str(item["price"]),
        "picture": (io.BytesIO(data), "upload.jpg"),
        **extra,
    }
    return client.post(url, data=form, content_type="multipart/form-data")


def stored_names(client) -> set[str]:  # type: ignore[no-untyped-def]
    return {name for name, _ in storage_of(client.application).names()}


def test_a_picture_uploaded_in_the_panel_shows_in_the_api_and_the_table(panel, user):  # noqa: F811
    store = create_store(panel, user)
    item = create_item(panel, user, store["id"], "Lamp", "12.00")
    etag = panel.get(f"/item/{item['id']}").headers["ETag"]
    r = edit_with_picture(panel, item, pictures.jpeg_with_gps((800, 600)))
    assert r.status_code == 302, field_errors(r.get_data(True))
    after = panel.get(f"/item/{item['id']}")
    assert after.headers["ETag"] != etag
    image = after.get_json()["image"]
    assert (image["width"], image["height"]) == (800, 600)
    page = panel.get("/admin/items/").get_data(True)
    assert f'src="{image["thumbnail_url"]}"' in page
    details = panel.get(f"/admin/items/details/?id={item['id']}").get_data(True)
    assert f'src="{image["thumbnail_url"]}"' in details
    assert panel.get(image["thumbnail_url"]).status_code == 200


def test_a_bad_picture_is_a_form_error_and_changes_nothing(panel, user):  # noqa: F811
    store = create_store(panel, user)
    item = create_item(panel, user, store["id"], "Lamp", "12.00")
    before = panel.get(f"/item/{item['id']}")
    r = edit_with_picture(panel, item, pictures.SVG)
    assert r.status_code == 200
    assert any("not a JPEG, PNG or WebP" in e for e in field_errors(r.get_data(True)))
    after = panel.get(f"/item/{item['id']}")
    assert after.headers["ETag"] == before.headers["ETag"] and after.get_json()["image"] is None


def test_removing_and_deleting_in_the_panel_leave_no_files(panel, user):  # noqa: F811
    store = create_store(panel, user)
    lamp = create_item(panel, user, store["id"], "Lamp", "12.00")
    chair = create_item(panel, user, store["id"], "Chair", "40.00")
    desk = create_item(panel, user, store["id"], "Desk", "99.00")
    for item, data in ((lamp, pictures.webp()), (chair, pictures.png_with_alpha())):
        assert edit_with_picture(panel, item, data).status_code == 302
    assert edit_with_picture(panel, desk, pictures.jpeg_with_gps((300, 200))).status_code == 302
    name_of = {
        i["id"]: panel.get(f"/item/{i['id']}").get_json()["image"]["url"].removeprefix("/media/")
        for i in (lamp, chair, desk)
    }

    url = f"/admin/items/edit/?id={lamp['id']}"
    form = {"csrf_token": csrf_token(panel, url), "name": "Lamp", "price": "12.00"}
    r = panel.post(url, data={**form, "remove_picture": "y"})
    assert r.status_code == 302
    assert panel.get(f"/item/{lamp['id']}").get_json()["image"] is None
    assert name_of[lamp["id"]] not in stored_names(panel)

    token = csrf_token(panel, "/admin/items/")
    r = panel.post("/admin/items/delete/", data={"csrf_token": token, "id": chair["id"]})
    assert r.status_code == 302
    assert name_of[chair["id"]] not in stored_names(panel)

    token = csrf_token(panel, "/admin/stores/")
    r = panel.post("/admin/stores/delete/", data={"csrf_token": token, "id": store["id"]})
    assert r.status_code == 302
    assert name_of[desk["id"]] not in stored_names(panel)
    assert count_rows(panel, Image) == 0


def test_with_media_redirect_the_panel_lets_thumbnails_come_from_the_bucket():
    from storeapi.admin.panel import ADMIN_CSP, admin_csp
    from tests.conftest import test_settings

    plain = test_settings("sqlite://")
    assert admin_csp(plain) == ADMIN_CSP
    s3 = test_settings(
        "sqlite://",
        storage_url="s3://pictures/shop",
        media_redirect=True,
        s3_endpoint_url="http://127.0.0.1:8333/",
    )
    assert "img-src 'self' data: http://127.0.0.1:8333;" in admin_csp(s3)
    aws = test_settings("sqlite://", storage_url="s3://pictures", media_redirect=True)
    assert "img-src 'self' data: https://*.amazonaws.com;" in admin_csp(aws)
