"""API9:2023 Improper Inventory Management.

The OpenAPI document is the inventory: every route the app serves is in it (with its methods),
everything in it is served, and the only routes outside it are the human-facing pages (the
interactive docs, the admin panel and the two pages mail links open), listed here by name.
Paths nobody documented - old versions, debug or metrics endpoints, dot files - do not exist.
`/metrics` exists only when an operator turns it on (METRICS_ENABLED), outside the document,
and then only for callers on the machine or holding METRICS_TOKEN.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import assert_problem

# Served for people, not API clients: not in the OpenAPI document on purpose.
HUMAN_PAGES = re.compile(r"^/(docs(/.*)?|admin(/.*)?|account-assets/.*)$")
IMPLICIT_METHODS = {"HEAD", "OPTIONS"}


def served_routes(app) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    routes: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule)
        if rule.endpoint == "static" or HUMAN_PAGES.match(path):
            continue
        routes.setdefault(path, set()).update(m for m in rule.methods if m not in IMPLICIT_METHODS)
    return routes


def test_every_served_route_is_documented_and_every_documented_one_served(client) -> None:
    spec = client.get("/openapi.json").get_json()
    documented = {path: {m.upper() for m in ops} for path, ops in spec["paths"].items()}
    assert served_routes(client.application) == documented


def test_every_documented_operation_is_described(client) -> None:
    spec = client.get("/openapi.json").get_json()
    assert spec["openapi"].startswith("3.") and spec["info"]["version"]
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            where = f"{method.upper()} {path}"
            assert op.get("operationId") and op.get("summary") and op.get("tags"), where
            assert any(code.startswith("2") for code in op["responses"]), where
            if op.get("security"):
                assert "401" in op["responses"], where


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/store",
        "/v2/item",
        "/debug",
        "/metrics",
        "/.env",
        "/.git/config",
        "/swagger.json",
        "/openapi.yaml",
        "/user",
        "/users",
        "/server-status",
    ],
)
def test_undocumented_paths_do_not_exist(client, path: str) -> None:
    assert_problem(client.get(path), 404)


def test_the_human_pages_are_the_only_exceptions_and_they_exist(client) -> None:
    assert client.get("/docs").status_code == 200
    assert client.get("/admin/").status_code in (200, 302)
    others = [
        rule.rule
        for rule in client.application.url_map.iter_rules()
        if HUMAN_PAGES.match(re.sub(r"<[^>]+>", "x", rule.rule))
    ]
    assert all(r.startswith(("/docs", "/admin", "/account-assets/")) for r in others)
    assert client.get("/account-assets/account.js").status_code == 200
    assert client.get("/account-assets/other.js").status_code == 404


def test_metrics_when_turned_on_are_the_one_other_route_and_not_public(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(metrics_enabled=True)
    client = app.test_client()
    spec = client.get("/openapi.json").get_json()
    documented = {path: {m.upper() for m in ops} for path, ops in spec["paths"].items()}
    served = served_routes(app)
    assert served.pop("/metrics") == {"GET"}
    assert served == documented
    elsewhere = client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.5"})
    assert_problem(elsewhere, 403)
