"""The two pages the mail links open, in a real headless Chromium: a person verifies the
address and resets the password with nothing but the mail (and `storeapi worker` sending it).
A screenshot of each HTML mail and page goes to test-artifacts/."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.conftest import PASSWORD
from tests.live import live_server
from tests.mailbox import smtp_server, worker_process
from tests.test_browser import ARTIFACTS, CHROMIUM, Page, browser, sync_api  # noqa: F401 (the fixture)

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")

NEW_PASSWORD = "chosen in the browser"


def test_a_person_verifies_and_resets_in_the_browser(browser, database_url, client):  # noqa: F811
    with smtp_server() as (box, port), live_server(database_url) as base:
        env = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": port, "SMTP_STARTTLS": "false"}
        with worker_process(database_url, PUBLIC_URL=base, **env):
            tab = Page(browser, base)
            try:
                _verify(tab, base, box)
                _reset(tab, base, box)
            finally:
                tab.close()
    assert tab.errors == [], tab.errors  # no CSP violation, no failed asset or request
    assert [u for u in tab.requested if not u.startswith(base) and u != "about:blank"] == []


def _show_mail(tab: Page, html: str, name: str) -> None:
    """The HTML mail in a tab of its own (a blank page without the site's CSP), kept open on
    the mail as a mail client would show it; the link is then followed from it."""
    tab.page.goto("about:blank")
    tab.page.set_content(html)
    tab.screenshot(name)
    kept = ARTIFACTS / name
    assert kept.read_bytes().startswith(b"\x89PNG") and kept.stat().st_size > 5000, kept


def _verify(tab: Page, base: str, box) -> None:  # type: ignore[no-untyped-def]
    r = httpx.post(f"{base}/register", json={"email": "browser@example.com", "password": PASSWORD})
    assert r.status_code == 201
    [mail] = box.wait_for(1)
    _show_mail(tab, mail.html, "mail-verify-email.png")
    page = tab.page
    page.get_by_role("link", name="Confirm my email address").click()
    assert re.fullmatch(rf"{re.escape(base)}/verify-email\?token=[\w-]{{43}}", page.url)
    page.get_by_role("button", name="Confirm my email address").click()
    sync_api.expect(page.locator("#status")).to_have_text(
        "Thank you: your email address is confirmed."
    )
    tab.screenshot("page-verify-email.png")


def _reset(tab: Page, base: str, box) -> None:  # type: ignore[no-untyped-def]
    assert (
        httpx.post(f"{base}/password-reset", json={"email": "browser@example.com"}).status_code
        == 202
    )
    mail = box.wait_for(2)[1]
    _show_mail(tab, mail.html, "mail-password-reset.png")
    page = tab.page
    page.goto(re.search(r"https?://\S+/reset-password\?token=[\w-]+", mail.text)[0])
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_label("The same again").fill("something else entirely")
    page.get_by_role("button", name="Set the new password").click()
    sync_api.expect(page.locator("#status")).to_have_text("The two passwords differ.")
    page.get_by_label("The same again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set the new password").click()
    sync_api.expect(page.locator("#status")).to_contain_text("Your password is changed")
    tab.screenshot("page-reset-password.png")
    new = {"email": "browser@example.com", "password": NEW_PASSWORD}
    assert httpx.post(f"{base}/login", json=new).status_code == 200
    page.reload()  # the same link again: refused, and the page says why
    page.get_by_label("New password").fill("yet another password")
    page.get_by_label("The same again").fill("yet another password")
    with page.expect_response(lambda r: r.url.endswith("/password-reset/confirm")) as used:
        page.get_by_role("button", name="Set the new password").click()
    assert used.value.status == 422
    sync_api.expect(page.locator("#status")).to_contain_text("This link is not valid")
    expected = [e for e in tab.errors if "422" in e and e.endswith("/password-reset/confirm")]
    assert len(expected) == 2  # the response, and Chromium's console note of it
    tab.errors[:] = [e for e in tab.errors if e not in expected]
