"""The home document, health checks, the OpenAPI document and the interactive docs."""

from __future__ import annotations

from importlib import resources as pkg_resources
from typing import Any, Literal

from flask import Blueprint, current_app, render_template_string, send_from_directory
from pydantic import Field
from sqlalchemy import text

from storeapi import db
from storeapi.http.api import operation
from storeapi.http.links import link, links
from storeapi.http.problems import Problem
from storeapi.http.representations import render
from storeapi.http.responses import Response
from storeapi.http.schemas import Links, Output

bp = Blueprint("root", __name__)
TAG = "Discovery and operations"
VERSION = "1.0.0"
COLLECTIONS = {
    "stores": "/store",
    "items": "/item",
    "books": "/books",
    "frameworks": "/frameworks",
}
ACTIONS = {"register": "/register", "login": "/login", "refresh": "/refresh", "logout": "/logout"}
SWAGGER_DIR = str(pkg_resources.files("flask_openapi3_swagger") / "templates" / "swagger")
DOCS_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>storeapi — API docs</title>
<link rel="stylesheet" href="/docs/assets/css/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/js/swagger-ui-bundle.js"></script>
<script src="/docs/assets/js/swagger-ui-standalone-preset.js"></script>
<script src="/docs/init.js"></script></body></html>"""
# JSON Schema reads a pattern over code points (ECMA-262's "u" flag); Swagger UI compiles
# patterns without it, where a range above U+FFFF is a syntax error that broke "Try it out".
# It gets a copy of the document without such patterns: the API still checks those fields.
DOCS_INIT = """const astral = /[\\u{10000}-\\u{10FFFF}]/u;
function withoutAstralPatterns(node) {
  if (node === null || typeof node !== "object") return;
  for (const [key, value] of Object.entries(node)) {
    if (key === "pattern" && typeof value === "string" && astral.test(value)) delete node[key];
    else withoutAstralPatterns(value);
  }
}
fetch("/openapi.json").then((answer) => answer.json()).then((spec) => {
  withoutAstralPatterns(spec);
  window.ui = SwaggerUIBundle({spec: spec, url: "/openapi.json", dom_id: "#swagger-ui",
    deepLinking: true, persistAuthorization: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "StandaloneLayout"});
});"""


class Home(Output):
    name: str
    version: str
    links: Links


class Status(Output):
    status: str


class ReplicaHealth(Output):
    name: str = Field(description="host:port/database")
    state: Literal["ok", "lagging", "down", "not-a-replica", "unknown"]
    lag_seconds: float | None = Field(description="how far behind the primary it was")
    error: str | None = None


class Readiness(Output):
    status: str
    replicas: list[ReplicaHealth] | None = Field(
        None, description="With DATABASE_REPLICA_URLS: each replica's state (never a 503)"
    )


@operation(bp, "/", tag=TAG, response=Home)
def home() -> Response:
    """The home document: links to every collection, the docs and the OpenAPI document"""
    actions = {rel: link(href, method="POST") for rel, href in ACTIONS.items()}
    return render(
        {
            "name": "storeapi",
            "version": VERSION,
            "_links": links(
                "/",
                **COLLECTIONS,
                **actions,
                docs="/docs",
                openapi="/openapi.json",
                health="/healthz",
                ready="/readyz",
            ),
        }
    )


@operation(bp, "/healthz", tag=TAG, response=Status)
def healthz() -> Response:
    """Liveness: the process answers"""
    return render({"status": "ok"}, cache="no-store")


@operation(bp, "/readyz", tag=TAG, response=Readiness, errors={503: "The database is unreachable"})
def readyz() -> Response:
    """Readiness: the database answers (503 when it does not)

    Read replicas are reported, not required: reads fall back to the primary without them.
    """
    db.use_primary()
    try:
        db.session().execute(text("SELECT 1"))
    except Exception as exc:
        if db.is_unavailable(exc):
            raise Problem(
                503, "The database is unreachable", headers={"Retry-After": "5"}
            ) from None
        raise
    ready: dict[str, Any] = {"status": "ready"}
    if (replicas := db.replica_health()) is not None:
        ready["replicas"] = replicas
    return render(ready, cache="no-store")


@operation(bp, "/openapi.json", tag=TAG)
def openapi() -> Response:
    """This API's OpenAPI 3.1 document"""
    spec = current_app.extensions.get("openapi")
    if spec is None:
        # Imported here: the generator is needed by this one route, and its first call only.
        from storeapi.http.openapi import build_spec

        spec = current_app.extensions["openapi"] = build_spec("storeapi", VERSION)
    return render(spec)


@bp.get("/docs")
def docs() -> str:
    return render_template_string(DOCS_HTML)


@bp.get("/docs/init.js")
def docs_init() -> Response:
    return Response(DOCS_INIT, mimetype="text/javascript")


@bp.get("/docs/assets/<path:filename>")
def docs_assets(filename: str) -> Response:
    response = send_from_directory(SWAGGER_DIR, filename, max_age=86400)
    return response
