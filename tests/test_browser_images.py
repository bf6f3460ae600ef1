"""Item pictures in the admin panel, in a real headless Chromium against `storeapi serve`:
the thumbnail is shown (loaded and decoded by the browser), uploaded and removed through the
edit form. The screenshot is kept in test-artifacts/admin-item-thumbnail.png."""

from __future__ import annotations

import httpx

from tests import pictures
from tests.conftest import create_item, create_store, make_account
from tests.test_browser import (  # noqa: F401  (fixtures)
    browser,
    log_in,
    server,
    sync_api,
    tab,
)


def test_the_panel_shows_uploads_and_removes_an_items_thumbnail(tab, server, client, tmp_path):  # noqa: F811
    make_account(client, "boss@example.com", admin=True)
    owner = make_account(client, "owner@example.com")
    store = create_store(client, owner, "Picture Palace")
    item = create_item(client, owner, store["id"], "Teapot", "12.50")
    photo = tmp_path / "teapot.jpg"
    photo.write_bytes(pictures.jpeg_with_gps((1200, 900)))

    page = tab.page
    log_in(tab, "boss@example.com")
    sync_api.expect(page.locator("#admin-email")).to_have_text("boss@example.com")
    page.goto(f"/admin/items/edit/?id={item['id']}")
    page.set_input_files("#picture", str(photo))
    page.get_by_role("button", name="Save", exact=True).click()
    thumbnail = page.locator("table.model-list img.item-thumbnail")
    sync_api.expect(thumbnail).to_be_visible()
    # Loaded and decoded, not a broken image: the browser knows its pixel size.
    page.wait_for_function(
        "() => { const i = document.querySelector('img.item-thumbnail');"
        " return i && i.complete && i.naturalWidth === 256 && i.naturalHeight === 192; }"
    )
    image = httpx.get(f"{server}/item/{item['id']}").json()["image"]
    assert (image["width"], image["height"]) == (1200, 900)
    assert thumbnail.get_attribute("src") == image["thumbnail_url"]
    tab.screenshot("admin-item-thumbnail.png")
    assert [u for u in tab.requested if not u.startswith(server)] == []
    assert tab.errors == [], tab.errors  # the panel's CSP lets the thumbnail in

    page.goto(f"/admin/items/edit/?id={item['id']}")
    page.get_by_label("Remove the picture").check()
    page.get_by_role("button", name="Save", exact=True).click()
    sync_api.expect(page.locator("table.model-list")).to_contain_text("none")
    assert httpx.get(f"{server}/item/{item['id']}").json()["image"] is None
    assert httpx.get(f"{server}{image['thumbnail_url']}").status_code == 404
    assert tab.errors == [], tab.errors
