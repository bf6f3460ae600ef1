"""What the OpenAPI document says of every route alike (problem answers, common errors), and the
routes it lists beside the operations: pages for people and stored files."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from storeapi.http.negotiation import PROBLEM_XML

PROBLEM = "application/problem+json"
COMMON_ERRORS = {
    406: "The client accepts no media type this resource has",
    414: "URL longer than MAX_URL_BYTES",
    429: "Rate limit exceeded; see Retry-After",
    431: "Header fields larger than MAX_HEADER_BYTES",
    503: "The database is unavailable; see Retry-After",
}


def problem_doc(description: str) -> dict[str, Any]:
    schema = {"schema": {"$ref": "#/components/schemas/ProblemDoc"}}
    return {"description": description, "content": {PROBLEM: schema, PROBLEM_XML: schema}}


def header_doc(description: str) -> dict[str, Any]:
    return {"description": description, "schema": {"type": "string"}}


@dataclass(frozen=True)
class HtmlPage:
    """A page for people that the API serves beside its operations (the mail links' pages):
    listed in the document so that a path's `Allow` and its documented methods agree."""

    path: str
    operation_id: str
    summary: str
    tag: str


HTML_PAGES: list[HtmlPage] = []


@dataclass(frozen=True)
class StoredFileRoute:
    """A route that serves stored files as they are (pictures), not JSON: documented here."""

    path: str
    operation_id: str
    summary: str
    tag: str
    media_type: str
    parameter: dict[str, Any]
    errors: dict[int, str]


FILE_ROUTES: list[StoredFileRoute] = []


def file_operation(route: StoredFileRoute) -> dict[str, Any]:
    header = {"in": "header", "required": False, "schema": {"type": "string"}}
    binary = {"schema": {"type": "string", "format": "binary"}}
    responses: dict[str, Any] = {
        "200": {
            "description": "The file",
            "content": {route.media_type: binary},
            "headers": {
                "ETag": header_doc(
                    "Strong validator: the file's name, which its bytes never change"
                ),
                "Cache-Control": header_doc("public, max-age=31536000, immutable"),
            },
        },
        "302": {
            "description": "Where the storage serves the file (a short-lived signed URL)",
            "headers": {"Location": header_doc("The signed URL")},
        },
        "304": {"description": "Not modified (If-None-Match matched)"},
    }
    for status, description in sorted({**COMMON_ERRORS, **route.errors}.items()):
        responses[str(status)] = problem_doc(description)
    return {
        "operationId": route.operation_id,
        "summary": route.summary,
        "tags": [route.tag],
        "parameters": [route.parameter, {"name": "If-None-Match", **header}],
        "responses": responses,
    }


def page_operation(page: HtmlPage) -> dict[str, Any]:
    html = {"text/html": {"schema": {"type": "string"}}}
    return {
        "operationId": page.operation_id,
        "summary": page.summary,
        "tags": [page.tag],
        "parameters": [
            {"name": "token", "in": "query", "required": False, "schema": {"type": "string"}}
        ],
        "responses": {"200": {"description": "The HTML page", "content": html}},
    }
