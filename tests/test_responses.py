"""The API's response class (storeapi.http.responses): a body in memory reaches the WSGI server
as a list (granian then writes it in one call), the same bytes werkzeug would send; bodiless
answers are empty; files still stream."""

from __future__ import annotations

from werkzeug.test import EnvironBuilder

from tests.conftest import create_item, create_store


def wsgi(app, method: str, path: str, **kwargs):  # type: ignore[no-untyped-def]
    """Call the app as a WSGI server does: (status, headers, the iterable it returned)."""
    builder = EnvironBuilder(method=method, path=path, **kwargs)
    seen: dict = {}

    def start_response(status, headers, exc_info=None):  # type: ignore[no-untyped-def]
        seen.update(status=status, headers=dict(headers))

    try:
        body = app(builder.get_environ(), start_response)
    finally:
        builder.close()
    return seen["status"], seen["headers"], body


def test_a_json_body_is_handed_over_as_a_list_of_its_bytes(app, client, user):  # type: ignore[no-untyped-def]
    item = create_item(client, user, create_store(client, user)["id"])
    status, headers, body = wsgi(app, "GET", f"/item/{item['id']}")
    assert status.startswith("200") and type(body) is list
    assert b"".join(body) == client.get(f"/item/{item['id']}").data
    assert int(headers["Content-Length"]) == len(b"".join(body))


def test_problems_and_created_answers_are_lists_too(app, user):  # type: ignore[no-untyped-def]
    status, _, body = wsgi(app, "GET", "/item/999999")
    assert status.startswith("404") and type(body) is list and b'"status":404' in b"".join(body)
    status, headers, body = wsgi(
        app, "POST", "/store", json={"name": "listed"}, headers=user.headers
    )
    assert status.startswith("201") and type(body) is list and headers["Location"]


def test_bodiless_answers_hand_over_nothing(app, client, user):  # type: ignore[no-untyped-def]
    item = create_item(client, user, create_store(client, user)["id"])
    etag = client.get(f"/item/{item['id']}").headers["ETag"]
    for method, path, headers in [
        ("HEAD", f"/item/{item['id']}", {}),
        ("GET", f"/item/{item['id']}", {"If-None-Match": etag}),
        ("DELETE", f"/item/{item['id']}", user.headers),
    ]:
        status, _, body = wsgi(app, method, path, headers=headers)
        assert status[:3] in ("200", "304", "204") and list(body) == []


def test_files_still_stream(app, client):  # type: ignore[no-untyped-def]
    status, _, body = wsgi(app, "GET", "/docs/assets/css/swagger-ui.css")
    assert status.startswith("200") and type(body) is not list
    streamed = b"".join(body)
    body.close()
    assert streamed == client.get("/docs/assets/css/swagger-ui.css").data and len(streamed) > 1000
