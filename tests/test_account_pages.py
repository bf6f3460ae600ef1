"""resources/account_pages.py: the two pages the mail links open, as a browser receives them:
a strict CSP, nothing cached or referred (the URL holds a token), local assets only, and the
token from the URL escaped. tests/test_account_browser.py finishes both flows in Chromium."""

from __future__ import annotations

import re

import pytest

from tests.conftest import assert_problem

PAGES = ["/reset-password", "/verify-email"]
STRICT_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'"
)


@pytest.mark.parametrize("page", PAGES)
def test_the_page_is_served_under_a_strict_csp_and_never_cached(client, page):
    r = client.get(f"{page}?token={'A' * 43}")
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert r.headers["Content-Security-Policy"] == STRICT_CSP
    assert r.headers["Cache-Control"] == "no-store"
    assert r.headers["Referrer-Policy"] == "no-referrer"
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert "Set-Cookie" not in r.headers  # nothing ambient for a cross-site request to use
    html = r.get_data(True)
    assert f'name="token" value="{"A" * 43}"' in html


@pytest.mark.parametrize("page", PAGES)
def test_the_page_loads_only_its_own_assets_and_no_inline_code(client, page):
    html = client.get(f"{page}?token={'A' * 43}").get_data(True)
    urls = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)""", html)
    assert sorted(urls) == ["/account-assets/account.css", "/account-assets/account.js"]
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>|<style|\son[a-z]+\s*=", html)
    for url in urls:
        asset = client.get(url)
        assert asset.status_code == 200 and asset.mimetype in ("text/css", "text/javascript")
        assert not re.search(r"https?://|//[a-z]|@import|url\(", asset.get_data(True))


@pytest.mark.parametrize("page", PAGES)
def test_a_hostile_token_in_the_url_is_escaped(client, page):
    hostile = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    html = client.get(page, query_string={"token": hostile}).get_data(True)
    assert "<script>alert" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("page", PAGES)
def test_without_a_token_the_page_says_it_needs_the_mails_link(client, page):
    r = client.get(page)
    assert r.status_code == 200
    assert "needs the link from your mail" in r.get_data(True)
    assert "<form" not in r.get_data(True)


def test_an_unknown_asset_is_a_404_problem(client):
    assert_problem(client.get("/account-assets/../settings.py"), 404)
    assert_problem(client.get("/account-assets/other.js"), 404)
