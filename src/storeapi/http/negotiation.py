"""Content negotiation: which of the media types a response can take the client prefers."""

from __future__ import annotations

from flask import request

JSON = "application/json"
JSON_LD = "application/ld+json"
XML = "application/xml"
PROBLEM_JSON = "application/problem+json"
PROBLEM_XML = "application/problem+xml"
ANSWERED_WITH_JSON = frozenset({"", "*/*", JSON})  # Accept headers JSON answers unparsed
_XML_TYPES = frozenset({XML, PROBLEM_XML})
PROBLEM_OFFERS = [PROBLEM_JSON, JSON, PROBLEM_XML, XML]


def answered_with_json() -> bool:
    """What most API clients send (no Accept, `*/*`, JSON): JSON without parsing the header."""
    return request.environ.get("HTTP_ACCEPT", "*/*") in ANSWERED_WITH_JSON


def preferred(offers: list[str]) -> str | None:
    """The offer the client's Accept prefers (the earlier offer on a tie), or None.

    `offers[0]` must be the JSON one. A browser loading a page sends
    `text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8`, which ranks XML above
    anything else: it lists XML for XHTML documents, not for data, and a developer who opens
    an API URL in a browser expects the JSON that every other client gets. So a request that
    names `text/html` gets JSON when it accepts JSON at all; other clients get XML by asking.
    """
    accept = request.accept_mimetypes
    if not accept:
        return offers[0]
    best = accept.best_match(offers)
    if best in _XML_TYPES and accept[offers[0]] > 0 and any(v == "text/html" for v, _ in accept):
        return offers[0]
    return best


def problem_as_xml() -> bool:
    """Whether an error goes out as application/problem+xml (the client prefers XML)."""
    if answered_with_json():
        return False
    return preferred(PROBLEM_OFFERS) in _XML_TYPES
