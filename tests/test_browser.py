"""The admin panel and /docs in a real headless Chromium against a real `storeapi serve`.

Uses Debian's `chromium` (the Makefile's `install` step adds it when missing) through
Playwright's Python API; Playwright's own browser downloads are never used. Screenshots of
the pages go to test-artifacts/.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import PASSWORD, create_store, make_account
from tests.live import live_server

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = shutil.which("chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (`make install` adds it as root)"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[sync_api.Browser]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def server(database_url: str, client) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A live server on the test database; `client` empties that database afterwards."""
    with live_server(database_url) as base:
        yield base


class Page:
    """A browser tab that records every request it makes and every console error."""

    def __init__(self, browser: sync_api.Browser, base: str) -> None:
        self.context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.requested: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requested.append(r.url))
        self.dialogs: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("response", self._response)

    def _console(self, message: sync_api.ConsoleMessage) -> None:
        # Chromium asks every site for /favicon.ico; failed loads are reported by _response.
        if message.type == "error" and "status of 404" not in message.text:
            self.errors.append(f"{message.text} at {message.location['url']}")

    def _response(self, response: sync_api.Response) -> None:
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            self.errors.append(f"{response.status} {response.url}")

    def screenshot(self, name: str, full_page: bool = True) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / name), full_page=full_page)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tab(browser, server) -> Iterator[Page]:  # type: ignore[no-untyped-def]
    page = Page(browser, server)
    yield page
    page.close()


def log_in(tab: Page, email: str) -> None:
    page = tab.page
    page.goto("/admin/")
    sync_api.expect(page.get_by_role("heading", name="Administrator login")).to_be_visible()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def choose(page: sync_api.Page, field: str, label: str) -> None:
    """Pick an option in a Flask-Admin select (a select2 widget) as a user would."""
    page.locator(f"#s2id_{field}, #{field} + .select2-container").first.click()
    page.locator(".select2-result-label, .select2-results__option", has_text=label).first.click()


def test_admin_creates_a_store_and_an_item_that_the_api_serves(tab, server, client):
    make_account(client, "boss@example.com", admin=True)
    page = tab.page
    log_in(tab, "boss@example.com")
    sync_api.expect(page.locator("#admin-email")).to_have_text("boss@example.com")

    page.locator("nav").get_by_role("link", name="Stores", exact=True).click()
    page.get_by_role("link", name="Create", exact=True).click()
    page.locator("#name").fill("Browser Bazaar")
    page.get_by_role("button", name="Save", exact=True).click()
    sync_api.expect(page.locator("table.model-list")).to_contain_text("Browser Bazaar")

    page.locator("nav").get_by_role("link", name="Items", exact=True).click()
    page.get_by_role("link", name="Create", exact=True).click()
    page.locator("#name").fill("Teapot")
    page.locator("#price").fill("1.234")
    choose(page, "store", "Browser Bazaar")
    page.get_by_role("button", name="Save", exact=True).click()
    sync_api.expect(page.locator("ul.text-danger")).to_contain_text("at most 2 decimals")
    page.locator("#price").fill("12.50")
    page.get_by_role("button", name="Save", exact=True).click()
    sync_api.expect(page.locator("table.model-list")).to_contain_text("Teapot")
    tab.screenshot("admin-items.png")
    assert tab.errors == [], tab.errors  # no CSP violation, no failed asset

    stores = httpx.get(f"{server}/store").json()["stores"]
    assert [s["name"] for s in stores] == ["Browser Bazaar"]
    items = httpx.get(f"{server}/item").json()["items"]
    assert [(i["name"], i["price"], i["store_id"]) for i in items] == [
        ("Teapot", 12.5, stores[0]["id"])
    ]
    assert [u for u in tab.requested if not u.startswith(server)] == []

    # The delete button asks first (its inline handler is allowed by the panel's CSP).
    page.once("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
    page.locator("table.model-list button[title='Delete Record']").click()
    page.wait_for_timeout(500)
    assert tab.dialogs == ["Are you sure you want to delete this record?"]
    assert len(httpx.get(f"{server}/item").json()["items"]) == 1
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("table.model-list button[title='Delete Record']").click()
    sync_api.expect(page.locator(".alert-success")).to_contain_text("successfully deleted")
    assert httpx.get(f"{server}/item").json()["items"] == []
    assert tab.errors == [], tab.errors


def test_a_non_admin_is_refused_in_the_browser(tab, server, client):
    owner = make_account(client, "shopkeeper@example.com")
    create_store(client, owner, "Hidden Haberdashery")
    page = tab.page
    log_in(tab, "shopkeeper@example.com")
    sync_api.expect(page.locator("#login-refused")).to_have_text(
        "Wrong email or password, or not an administrator."
    )
    page.goto("/admin/stores/")
    assert re.search(r"/admin/login/\?next=", page.url)
    sync_api.expect(page.get_by_role("heading", name="Administrator login")).to_be_visible()
    assert "Hidden Haberdashery" not in page.content()
    tab.screenshot("admin-refused.png")


def test_docs_render_and_try_it_out_calls_the_running_server(tab, server, client):
    owner = make_account(client, "docs@example.com")
    create_store(client, owner, "Documented Deli")
    page = tab.page
    page.goto("/docs")
    sync_api.expect(page.locator(".swagger-ui .info .title")).to_contain_text("storeapi")
    sync_api.expect(page.locator(".opblock-tag").first).to_be_visible()
    sections = page.locator(".opblock-tag").evaluate_all("els => els.map(e => e.dataset.tag)")
    assert sections[:4] == ["Users and tokens", "Stores", "Items", "Tags"], sections
    operation = page.locator(".opblock-get", has=page.locator('[data-path="/store"]')).first
    operation.locator(".opblock-summary").click()
    cursor = operation.locator('tr[data-param-name="cursor"] .parameter__type')
    sync_api.expect(cursor).to_have_text(re.compile(r"^\s*string\s*$"))
    operation.get_by_role("button", name="Try it out").click()
    with page.expect_response(lambda r: r.url.startswith(f"{server}/store")) as answer:
        operation.get_by_role("button", name="Execute").click()
    assert answer.value.status == 200
    live = operation.locator(".live-responses-table tbody .response-col_status").first
    sync_api.expect(live).to_contain_text("200")
    sync_api.expect(operation.locator(".live-responses-table")).to_contain_text("Documented Deli")
    operation.scroll_into_view_if_needed()
    tab.screenshot("docs.png", full_page=False)
    assert [u for u in tab.requested if not u.startswith(server)] == []
    assert tab.errors == [], tab.errors


def test_try_it_out_checks_a_name_parameter_without_a_script_error(tab, server, client):
    """A name's pattern holds character ranges above U+FFFF, which JSON Schema's regex reads over
    code points; Swagger UI compiles patterns without the "u" flag, where such a range is a
    syntax error, and its Execute button threw. The docs page hands it a copy without those
    patterns, and the API still refuses what they refuse."""
    owner = make_account(client, "tags@example.com")
    create_store(client, owner, "Tagged Deli")
    page = tab.page
    page.goto("/docs")
    operation = page.locator(".opblock-get", has=page.locator('[data-path="/item"]')).first
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    tag_row = operation.locator('tr[data-param-name="tag"]')
    tag_row.get_by_role("button", name="Add string item").click()
    tag_row.locator("input").first.fill("vegan")
    with page.expect_response(lambda r: r.url.startswith(f"{server}/item?")) as answer:
        operation.get_by_role("button", name="Execute").click()
    assert answer.value.status == 200
    assert "tag=vegan" in answer.value.url
    assert tab.errors == [], tab.errors
    served = httpx.get(f"{server}/openapi.json").json()
    tag = next(p for p in served["paths"]["/item"]["get"]["parameters"] if p["name"] == "tag")
    # the served document keeps its exact pattern
    assert any(ord(c) > 0xFFFF for c in tag["schema"]["items"]["pattern"])
    refused = httpx.get(f"{server}/item", params={"tag": "a\U000e0041"})  # a tag character
    assert refused.status_code == 422
