"""JSON rendering, content negotiation, ETags and Cache-Control, in one place."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import orjson
from flask import request

from storeapi.http.problems import Problem
from storeapi.http.responses import EmptyResponse, Response, add_headers

JSON = "application/json"
JSON_LD = "application/ld+json"
ANSWERED_WITH_JSON = frozenset({"", "*/*", JSON})  # Accept headers JSON answers unparsed
# Public reads: anyone may store them but must revalidate each use (max-age=0; a 304 costs
# an indexed read), so the next read sees a write; while the API cannot answer, a cache may
# serve its last copy for a day instead of an error (docs/pagination-and-caching.md).
PUBLIC = "public, max-age=0, stale-if-error=86400"
NO_STORE = "no-store"
VARY_PUBLIC = ("Vary", "Accept")
VARY_PRIVATE = ("Vary", "Accept, Authorization")  # what a token may see differs per token
# nginx stores neither max-age=0 nor no-cache; X-Accel-Expires "@1" (a time long past) has it
# store the response already expired, so it revalidates every use with the ETag. It comes
# before Cache-Control: nginx 1.22 skips Cache-Control only when X-Accel-Expires came first.
# nginx never passes it on to clients.
PUBLIC_HEADERS = (("X-Accel-Expires", "@1"), ("Cache-Control", PUBLIC), VARY_PUBLIC)


_OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_NAIVE_UTC


def _default(value: object) -> Any:
    if isinstance(value, Decimal):
        return orjson.Fragment(str(value))  # exact: 15.99 is written as 15.99
    raise TypeError(f"cannot serialize {type(value).__name__}")


def dumps(data: Any) -> bytes:
    return orjson.dumps(data, default=_default, option=_OPTIONS)


def negotiate(ld: bool) -> str:
    """The media type to answer with, or 406 when the client accepts none we make."""
    if request.environ.get("HTTP_ACCEPT", "*/*") in ANSWERED_WITH_JSON:  # most API clients
        return JSON
    accept = request.accept_mimetypes
    if not accept:
        return JSON
    offers = [JSON, JSON_LD] if ld else [JSON]
    best = accept.best_match(offers)
    if best is None:
        raise Problem(406, f"This resource is available as {', '.join(offers)}")
    return best


def wants_ld() -> bool:
    return negotiate(ld=True) == JSON_LD


def object_etag(kind: str, ident: object, version: int, variant: str = "") -> str:
    """The ETag of a versioned object's JSON: it changes with the version, no hashing."""
    return f'"{kind}{ident}v{version}{variant}"'


def ld_etag(etag: str) -> str:
    """The ETag of the JSON-LD representation whose JSON has `etag`: each has its own."""
    return etag[:-1] + 'ld"'


def json_ld(obj: dict[str, Any], type_: str, context: dict[str, Any] | None) -> dict[str, Any]:
    """An object's JSON-LD: its fields with `@id` (its self link) and `@type`; `context=None`
    inside a list that carries the `@context` once."""
    return {
        **({"@context": context} if context else {}),
        "@id": obj["_links"]["self"]["href"],
        "@type": type_,
        **{k: v for k, v in obj.items() if k != "_links"},
    }


def body_etag(body: bytes) -> str:
    """A strong ETag from the body's bytes: 96 bits of SHA-256, which OpenSSL computes with
    the CPU's SHA instructions where it has them, faster than BLAKE2b (bench/README.md)."""
    return '"' + hashlib.sha256(body).hexdigest()[:24] + '"'


def _etags_in(header: str) -> list[str]:
    return [t.strip() for t in header.split(",") if t.strip()]


def not_modified(etag: str, cache: str = PUBLIC) -> Response | None:
    """The 304 to answer when If-None-Match names this ETag (weak comparison, RFC 9110)."""
    header = request.environ.get("HTTP_IF_NONE_MATCH")
    if not header:
        return None
    tags = _etags_in(header)
    if "*" in tags or any(t.removeprefix("W/") == etag for t in tags):
        return NotModified(etag, cache).response()
    return None


def check_not_modified(etag: str, cache: str = PUBLIC) -> None:
    """Answer 304 (by raising) when If-None-Match names this ETag."""
    if not_modified(etag, cache) is not None:
        raise NotModified(etag, cache)


def check_if_match(*current: str) -> None:
    """412 unless If-Match names one of the current ETags (strong comparison)."""
    header = request.environ.get("HTTP_IF_MATCH")
    if not header:
        return
    tags = _etags_in(header)
    if "*" in tags:
        return
    if not any(t in current for t in tags if not t.startswith("W/")):
        raise Problem(
            412,
            "The resource has changed since you read it; fetch it again and retry",
            type="precondition-failed",
        )


def check_if_match_body(representation: Any) -> None:
    """If-Match for resources whose ETag is the hash of their JSON body."""
    if request.environ.get("HTTP_IF_MATCH"):
        check_if_match(body_etag(dumps(representation)))


class NotModified(Exception):
    def __init__(self, etag: str, cache: str) -> None:
        self.etag = etag
        self.cache = cache

    def response(self) -> Response:
        response = EmptyResponse(status=304)  # no body, no media type: exactly these headers
        if self.cache == PUBLIC:  # X-Accel-Expires too: nginx 1.22 would read max-age=0 as
            # "not cacheable" and answer its clients' own revalidations with a 200
            add_headers(response, (("ETag", self.etag), *PUBLIC_HEADERS))
        else:
            add_headers(response, (("ETag", self.etag), ("Cache-Control", self.cache), VARY_PUBLIC))
        return response


def render(
    data: Any,
    status: int = 200,
    *,
    etag: str | None = None,
    ld: Callable[[Any], Any] | None = None,
    cache: str = PUBLIC,
    headers: dict[str, str] | None = None,
) -> Response:
    """The one way to answer with a body: JSON, or JSON-LD when the resource has it (`ld`
    makes it from the JSON) and the client asks for it.

    A GET's 200 carries an ETag, `etag` (given for the JSON; the JSON-LD's is derived from it)
    or else a hash of the body, and is a 304 when If-None-Match names it.
    """
    mimetype = JSON
    if ld is not None and wants_ld():
        data, mimetype = ld(data), JSON_LD
        etag = etag and ld_etag(etag)
    body = dumps(data)
    if request.method in ("GET", "HEAD") and status == 200:
        etag = etag or body_etag(body)
        check_not_modified(etag, cache)
    response = Response(body, status=status, mimetype=mimetype)
    policy = PUBLIC_HEADERS if cache == PUBLIC else (("Cache-Control", cache), VARY_PRIVATE)
    add_headers(response, ((("ETag", etag),) if etag else ()) + policy)
    if headers:
        response.headers.update(headers)
    return response


def render_page(
    key: str,
    objects: list[dict[str, Any]],
    page: Any,
    ld: tuple[dict[str, Any], Callable[[dict[str, Any]], dict[str, Any]]] | None = None,
) -> Response:
    """One page of a list, `{key: [...], "_links"}` with its `Link` header; with
    `ld=(context, to_ld)` it answers JSON-LD (an `ItemList`) when the client asks for it."""
    headers = {"Link": page.link_header}
    body = {key: objects, "_links": page.links}
    if ld is None:
        return render(body, headers=headers)
    context, to_ld = ld

    def item_list(body: dict[str, Any]) -> dict[str, Any]:
        return {
            "@context": context,
            "@id": page.links["self"]["href"],
            "@type": "ItemList",
            key: [to_ld(o) for o in body[key]],
            "_links": body["_links"],
        }

    return render(body, headers=headers, ld=item_list)


def no_content() -> Response:
    return EmptyResponse(status=204)  # no body: no Content-Type either
