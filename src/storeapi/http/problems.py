"""RFC 9457 problem details: the one error envelope of the API, as JSON or XML."""

from __future__ import annotations

import logging
from typing import Any

import orjson
from flask import Flask, request
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException, MethodNotAllowed, RequestEntityTooLarge

from storeapi.db.errors import is_unavailable
from storeapi.http.negotiation import PROBLEM_JSON, PROBLEM_XML, problem_as_xml
from storeapi.http.responses import Response
from storeapi.http.xml_documents import PROBLEM_NAMESPACE, to_xml

PROBLEM_MIME = PROBLEM_JSON
TYPE_BASE = "https://storeapi.dev/problems/"

log = logging.getLogger("storeapi")


class Problem(Exception):
    """Raise to answer with a problem+json document."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        title: str | None = None,
        type: str | None = None,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.title = title or _TITLES.get(status, "Error")
        self.type = TYPE_BASE + (type or self.title.lower().replace(" ", "-"))
        self.errors = errors
        self.headers = headers or {}


_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    409: "Conflict",
    412: "Precondition Failed",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    428: "Precondition Required",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def not_found(what: str) -> Problem:
    return Problem(404, f"{what} not found")


def validation_error(field: str, message: str) -> Problem:
    return Problem(
        422,
        "The request is not valid",
        type="validation-error",
        errors=[{"field": field, "message": message}],
    )


def problem_response(problem: Problem) -> Response:
    body: dict[str, Any] = {
        "type": problem.type,
        "title": problem.title,
        "status": problem.status,
        "detail": problem.detail,
        "instance": request.path,
    }
    if problem.errors is not None:
        body["errors"] = problem.errors
    if problem_as_xml():
        xml = to_xml(body, "problem", PROBLEM_NAMESPACE)
        response = Response(xml, status=problem.status, mimetype=PROBLEM_XML)
    else:
        response = Response(orjson.dumps(body), status=problem.status, mimetype=PROBLEM_MIME)
    response.headers.update(problem.headers)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Vary"] = "Accept"  # its media type depends on it
    return response


def _from_http_exception(exc: HTTPException) -> Problem:
    status = exc.code or 500
    headers: dict[str, str] = {}
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        headers["Allow"] = ", ".join(sorted(exc.valid_methods))
    detail = exc.description or _TITLES.get(status, "Error")
    if isinstance(exc, RequestEntityTooLarge):
        detail = "The request body is larger than this server accepts"
    elif status == 404:
        detail = "No resource at this URL"
    elif status == 400:
        detail = "The request could not be understood"
    return Problem(status, detail, headers=headers)


def init_problems(app: Flask) -> None:
    @app.errorhandler(Problem)
    def _problem(problem: Problem) -> Response:
        return problem_response(problem)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Response:
        if exc.code is not None and exc.code < 400:
            return exc.get_response()  # type: ignore[return-value]
        return problem_response(_from_http_exception(exc))

    @app.errorhandler(IntegrityError)
    def _conflict(exc: IntegrityError) -> Response:
        return problem_response(
            Problem(409, "The request conflicts with the current state of the resource")
        )

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        if is_unavailable(exc):
            log.warning("database unavailable: %s", type(exc).__name__)
            return problem_response(
                Problem(
                    503,
                    "The database is unavailable; try again shortly",
                    headers={"Retry-After": "5"},
                )
            )
        log.exception("unhandled error on %s %s", request.method, request.path)
        return problem_response(Problem(500, "An unexpected error occurred"))
