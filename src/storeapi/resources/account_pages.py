"""The two pages the mail links open, `/reset-password` and `/verify-email`, so a person can
finish either flow in a browser without a front-end of our own.

Server-rendered, with their script and style served from here (no CDN) under a strict CSP.
They hold no session and no cookie: the page's script posts JSON with `fetch` to the API
(`/password-reset/confirm`, `/verify-email`), and the token in that body is the only
credential, so a cross-site request has nothing ambient to ride on (no CSRF token needed).
Verification needs a click: mail scanners that open links do not use up the token."""

from __future__ import annotations

from importlib import resources

from flask import Blueprint, Response, render_template, request

from storeapi.http.openapi_routes import HTML_PAGES, HtmlPage
from storeapi.http.problems import not_found

bp = Blueprint("account_pages", __name__, template_folder="../templates/account")

PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'"
)
ASSETS = {"account.js": "text/javascript", "account.css": "text/css"}
_assets = resources.files("storeapi") / "static" / "account"


def _page(template: str) -> Response:
    token = request.args.get("token", "")
    html = render_template(template, token=token, product="storeapi")
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = PAGE_CSP
    response.headers["Cache-Control"] = "no-store"  # the URL holds a token
    return response


@bp.get("/reset-password")
def reset_password_page() -> Response:
    return _page("reset_password.html")


@bp.get("/verify-email")
def verify_email_page() -> Response:
    return _page("verify_email.html")


HTML_PAGES.extend(
    HtmlPage(path, name, summary, "Users and tokens")
    for path, name, summary in (
        ("/reset-password", "reset_password_page", "The page a reset mail links to"),
        ("/verify-email", "verify_email_page", "The page a verification mail links to"),
    )
)


@bp.get("/account-assets/<name>")
def account_asset(name: str) -> Response:
    if name not in ASSETS:
        raise not_found("Asset")
    response = Response((_assets / name).read_bytes(), mimetype=ASSETS[name])
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
