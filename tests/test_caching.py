"""ETags, conditional requests and Cache-Control (RFC 9110 / 9111)."""

from __future__ import annotations

import pytest

from tests.conftest import assert_problem, create_item, create_store, create_tag, statements


def _etag(response) -> str:  # type: ignore[no-untyped-def]
    etag = response.headers["ETag"]
    assert etag.startswith('"') and etag.endswith('"'), "a strong, quoted validator"
    return etag


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/store",
        "/item",
        "/store/{s}",
        "/item/{i}",
        "/store/{s}/tag",
        "/tag/{t}",
        "/openapi.json",
    ],
)
def test_every_get_has_a_strong_etag_and_revalidates(client, user, path):
    store = create_store(client, user)
    item = create_item(client, user, store["id"])
    tag = create_tag(client, user, store["id"])
    url = path.format(s=store["id"], i=item["id"], t=tag["id"])
    first = client.get(url)
    assert first.status_code == 200
    etag = _etag(first)
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    assert client.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200


def test_if_none_match_accepts_lists_star_and_weak_validators(client, item):
    url = f"/item/{item['id']}"
    etag = _etag(client.get(url))
    assert client.get(url, headers={"If-None-Match": f'"x", {etag}'}).status_code == 304
    assert client.get(url, headers={"If-None-Match": "*"}).status_code == 304
    assert client.get(url, headers={"If-None-Match": f"W/{etag}"}).status_code == 304


def test_head_answers_like_get_without_a_body(client, item):
    url = f"/item/{item['id']}"
    get, head = client.get(url), client.head(url)
    assert head.status_code == 200 and head.data == b""
    assert head.headers["ETag"] == get.headers["ETag"]
    assert head.headers["Cache-Control"] == get.headers["Cache-Control"]


def test_etag_changes_with_every_change_of_the_representation(client, user, item):
    url = f"/item/{item['id']}"
    seen = {_etag(client.get(url))}
    client.put(url, json={"price": "1.00"}, headers=user.headers)
    seen.add(_etag(client.get(url)))
    tag = create_tag(client, user, item["store_id"])
    client.post(f"/item/{item['id']}/tag/{tag['id']}", headers=user.headers)
    seen.add(_etag(client.get(url)))
    client.delete(f"/item/{item['id']}/tag/{tag['id']}", headers=user.headers)
    seen.add(_etag(client.get(url)))
    assert len(seen) == 4


def test_list_and_store_etags_change_when_an_item_is_added(client, user, item):
    store_url = f"/store/{item['store_id']}"
    before = (_etag(client.get("/item")), _etag(client.get(store_url)))
    create_item(client, user, item["store_id"], name="Table")
    after = (_etag(client.get("/item")), _etag(client.get(store_url)))
    assert before[0] != after[0] and before[1] != after[1]


def test_json_and_json_ld_have_different_etags(client, item):
    url = f"/item/{item['id']}"
    plain = _etag(client.get(url))
    ld = _etag(client.get(url, headers={"Accept": "application/ld+json"}))
    assert plain != ld
    assert client.get(url, headers={"If-None-Match": ld}).status_code == 200


def test_revalidation_is_decided_from_one_cheap_query(app, client, item):
    url = f"/item/{item['id']}"
    etag = _etag(client.get(url))
    with statements(app) as seen:
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    queries = [s for s, _ in seen if s.lstrip().upper().startswith("SELECT")]
    assert len(queries) == 1 and "version" in queries[0] and "JOIN" not in queries[0].upper()


def test_put_with_stale_if_match_is_refused_and_changes_nothing(client, user, item):
    url = f"/item/{item['id']}"
    stale = _etag(client.get(url))
    assert client.put(url, json={"price": "2.00"}, headers=user.headers).status_code == 200
    r = client.put(url, json={"price": "99.00"}, headers={**user.headers, "If-Match": stale})
    assert_problem(r, 412)
    assert client.get(url).get_json()["price"] == 2.0


def test_put_with_current_if_match_succeeds_and_returns_the_new_etag(client, user, item):
    url = f"/item/{item['id']}"
    current = _etag(client.get(url))
    r = client.put(url, json={"name": "Stool"}, headers={**user.headers, "If-Match": current})
    assert r.status_code == 200
    assert r.headers["ETag"] != current
    assert r.headers["ETag"] == _etag(client.get(url))


def test_if_match_star_and_weak_validators(client, user, item):
    url = f"/item/{item['id']}"
    current = _etag(client.get(url))
    weak = {**user.headers, "If-Match": f"W/{current}"}
    assert_problem(client.put(url, json={"name": "A"}, headers=weak), 412)
    star = {**user.headers, "If-Match": "*"}
    assert client.put(url, json={"name": "B"}, headers=star).status_code == 200


def test_delete_with_stale_if_match_keeps_the_object(client, user, item):
    url = f"/item/{item['id']}"
    stale = _etag(client.get(url))
    client.put(url, json={"name": "Changed"}, headers=user.headers)
    assert_problem(client.delete(url, headers={**user.headers, "If-Match": stale}), 412)
    assert client.get(url).status_code == 200
    fresh = _etag(client.get(url))
    assert client.delete(url, headers={**user.headers, "If-Match": fresh}).status_code == 204


def test_store_and_tag_deletes_honour_if_match(client, user, item):
    store_url = f"/store/{item['store_id']}"
    stale = _etag(client.get(store_url))
    create_item(client, user, item["store_id"], name="Lamp")
    assert_problem(client.delete(store_url, headers={**user.headers, "If-Match": stale}), 412)
    tag = create_tag(client, user, item["store_id"])
    tag_url = f"/tag/{tag['id']}"
    headers = {**user.headers, "If-Match": '"not-it"'}
    assert_problem(client.delete(tag_url, headers=headers), 412)
    headers["If-Match"] = _etag(client.get(tag_url))
    assert client.delete(tag_url, headers=headers).status_code == 204


def test_public_reads_are_revalidatable_and_user_data_is_not_stored(client, user, admin):
    public = client.get("/item")
    assert public.headers["Cache-Control"] == "public, max-age=0, stale-if-error=86400"
    # nginx stores it already expired (revalidating each use): the header must come first
    names = [name.lower() for name, _ in public.headers]
    assert names.index("x-accel-expires") < names.index("cache-control")
    assert public.headers["X-Accel-Expires"] == "@1"
    assert "Accept" in public.headers["Vary"]
    login = client.post("/login", json={"email": user.email, "password": "correct horse battery"})
    assert login.headers["Cache-Control"] == "no-store"
    me = client.get(f"/user/{user.id}", headers=admin.headers)
    assert me.headers["Cache-Control"] == "no-store" and "X-Accel-Expires" not in me.headers
    assert "Authorization" in me.headers["Vary"]
    assert client.get("/nope").headers["Cache-Control"] == "no-store"
