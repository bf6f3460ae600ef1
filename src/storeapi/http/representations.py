"""Rendering (JSON, JSON-LD, XML), the negotiated media type, ETags and Cache-Control."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import orjson
from flask import request

from storeapi.http.negotiation import JSON, JSON_LD, XML, answered_with_json, preferred
from storeapi.http.problems import Problem
from storeapi.http.responses import EmptyResponse, Response, add_headers
from storeapi.http.xml_documents import to_xml

# Where `negotiate` leaves its answer for `render`, when the client asked for more than JSON.
MEDIA_TYPE = "storeapi.media_type"
XML_ROOT = "storeapi.xml_root"
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


def negotiate(ld: bool, xml_root: str | None = None) -> str:
    """The media type to answer with, or 406 when the client accepts none we make.

    Called by `operation` with what the endpoint offers: JSON-LD when `ld`, XML (a document
    named `xml_root`) when it documents its response. `render` answers with the same."""
    if answered_with_json():  # most API clients
        return JSON
    offers = [JSON, JSON_LD] if ld else [JSON]
    if xml_root is not None:
        offers.append(XML)
    best = preferred(offers)
    if best is None:
        raise Problem(406, f"This resource is available as {', '.join(offers)}")
    request.environ[MEDIA_TYPE], request.environ[XML_ROOT] = best, xml_root
    return best


def negotiated() -> str:
    """The media type `negotiate` chose for this request (JSON unless the client asked)."""
    if answered_with_json():
        return JSON
    return request.environ.get(MEDIA_TYPE, JSON)


def object_etag(kind: str, ident: object, version: int, variant: str = "") -> str:
    """The ETag of a versioned object's JSON: it changes with the version, no hashing."""
    return f'"{kind}{ident}v{version}{variant}"'


def ld_etag(etag: str) -> str:
    """The ETag of the JSON-LD representation whose JSON has `etag`: each has its own."""
    return etag[:-1] + 'ld"'


def xml_etag(etag: str) -> str:
    """The ETag of the XML representation whose JSON has `etag`. The XML is made from the same
    data by a fixed mapping, so the JSON's validator identifies it too, without hashing it."""
    return etag[:-1] + 'xml"'


def negotiated_etag(etag: str) -> str:
    """`etag`, the JSON's, as the ETag of the representation this request negotiated."""
    mimetype = negotiated()
    if mimetype == JSON:
        return etag
    return ld_etag(etag) if mimetype == JSON_LD else xml_etag(etag)


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


def etags_in(header: str) -> list[str]:
    return [t.strip() for t in header.split(",") if t.strip()]


def not_modified(etag: str, cache: str = PUBLIC) -> Response | None:
    """The 304 to answer when If-None-Match names this ETag (weak comparison, RFC 9110)."""
    header = request.environ.get("HTTP_IF_NONE_MATCH")
    if not header:
        return None
    tags = etags_in(header)
    if "*" in tags or any(t.removeprefix("W/") == etag for t in tags):
        return NotModified(etag, cache).response()
    return None


def check_not_modified(etag: str, cache: str = PUBLIC) -> None:
    """Answer 304 (by raising) when If-None-Match names this ETag."""
    if not_modified(etag, cache) is not None:
        raise NotModified(etag, cache)


def check_if_match(etag: str) -> None:
    """412 unless If-Match names the current ETag of one of the resource's representations
    (`etag` is the JSON's; strong comparison)."""
    header = request.environ.get("HTTP_IF_MATCH")
    if not header:
        return
    tags = etags_in(header)
    if "*" in tags:
        return
    current = (etag, ld_etag(etag), xml_etag(etag))
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
    """The one way to answer with a body: JSON; JSON-LD when the resource has it (`ld` makes
    it from the JSON) and the client asks for it; XML, made from the same data, when the
    client asks for it.

    A GET's 200 carries an ETag, `etag` (given for the JSON; the others' are derived from it)
    or else a hash of the JSON body, and is a 304 when If-None-Match names it.
    """
    mimetype = negotiated()
    if mimetype == XML:
        return _render_xml(data, status, etag, cache, headers)
    if mimetype == JSON_LD and ld is not None:
        data, etag = ld(data), etag and ld_etag(etag)
    else:
        mimetype = JSON
    return _respond(dumps(data), mimetype, status, etag, cache, headers)


def _render_xml(
    data: Any, status: int, etag: str | None, cache: str, headers: dict[str, str] | None
) -> Response:
    revalidated = request.method in ("GET", "HEAD") and status == 200
    if etag is None and revalidated:
        etag = body_etag(dumps(data))
    etag = etag and xml_etag(etag)
    if revalidated:
        check_not_modified(etag, cache)  # before the document is written
    body = to_xml(data, request.environ.get(XML_ROOT) or "resource")
    return _respond(body, XML, status, etag, cache, headers)


def _respond(
    body: bytes,
    mimetype: str,
    status: int,
    etag: str | None,
    cache: str,
    headers: dict[str, str] | None,
) -> Response:
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
