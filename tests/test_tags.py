"""Tags: per-store names, linking to items of the same store, unlinking, guarded deletion."""

from __future__ import annotations

import pytest

from storeapi.models import ItemTag, Tag
from tests.conftest import (
    assert_problem,
    count_rows,
    create_item,
    create_store,
    create_tag,
    non_fresh,
)


def _link(client, account, item: dict, tag: dict):  # type: ignore[no-untyped-def]
    return client.post(f"/item/{item['id']}/tag/{tag['id']}", headers=account.headers)


def test_create_tag_answers_201_with_location_and_links(client, user, store):
    r = client.post(f"/store/{store['id']}/tag", json={"name": "sale"}, headers=user.headers)
    assert r.status_code == 201
    tag = r.get_json()
    assert r.headers["Location"] == f"/tag/{tag['id']}"
    assert (tag["name"], tag["store_id"], tag["items"]) == ("sale", store["id"], [])
    assert tag["_links"]["self"]["href"] == f"/tag/{tag['id']}"
    assert tag["_links"]["store"]["href"] == f"/store/{store['id']}"
    assert client.get(tag["_links"]["items"]["href"]).get_json()["items"] == []
    assert client.get(r.headers["Location"]).get_json() == tag


@pytest.mark.parametrize("second", ["sale", "Sale", "SALE", "  sAlE "])
def test_tag_names_are_unique_per_store_case_insensitively(client, user, store, second):
    first = create_tag(client, user, store["id"], "sale")
    r = client.post(f"/store/{store['id']}/tag", json={"name": second}, headers=user.headers)
    assert_problem(r, 409)
    tags = client.get(f"/store/{store['id']}/tag").get_json()["tags"]
    assert [t["id"] for t in tags] == [first["id"]]


def test_the_same_tag_name_is_allowed_in_two_stores(client, user, other_user, store):
    elsewhere = create_store(client, other_user, "Elsewhere")
    a = create_tag(client, user, store["id"], "sale")
    b = create_tag(client, other_user, elsewhere["id"], "SALE")
    assert a["id"] != b["id"]
    assert (a["store_id"], b["store_id"]) == (store["id"], elsewhere["id"])


def test_creating_a_tag_needs_the_owner_of_an_existing_store(client, user, other_user, store):
    url = f"/store/{store['id']}/tag"
    assert_problem(client.post(url, json={"name": "sale"}), 401)
    assert_problem(client.post(url, json={"name": "sale"}, headers=other_user.headers), 403)
    assert_problem(client.post("/store/999999/tag", json={"name": "x"}, headers=user.headers), 404)
    assert count_rows(client, Tag) == 0


@pytest.mark.parametrize(
    "body", [{}, {"name": ""}, {"name": "  "}, {"name": "x" * 81}, {"name": 1}]
)
def test_invalid_tag_names_are_422(client, user, store, body):
    r = client.post(f"/store/{store['id']}/tag", json=body, headers=user.headers)
    assert [e["field"] for e in assert_problem(r, 422)["errors"]] == ["name"]


@pytest.mark.parametrize("field", ["store_id", "id", "owner_id"])
def test_a_tag_cannot_be_placed_in_another_store_by_its_body(
    client, user, other_user, store, field
):
    elsewhere = create_store(client, other_user, "Elsewhere")
    r = client.post(
        f"/store/{store['id']}/tag",
        json={"name": "sale", field: elsewhere["id"]},
        headers=user.headers,
    )
    assert [e["field"] for e in assert_problem(r, 422)["errors"]] == [field]
    assert count_rows(client, Tag) == 0


def test_linking_answers_201_with_the_item_and_the_tag(client, user, store, item):
    tag = create_tag(client, user, store["id"], "sale")
    r = _link(client, user, item, tag)
    assert r.status_code == 201
    assert r.headers["Location"] == f"/item/{item['id']}/tag/{tag['id']}"
    link = r.get_json()
    assert set(link) == {"item", "tag", "_links"}
    assert link["item"] == client.get(f"/item/{item['id']}").get_json()
    assert [t["id"] for t in link["item"]["tags"]] == [tag["id"]]
    assert {k: v for k, v in link["tag"].items() if k != "items"} == {
        k: v for k, v in client.get(f"/tag/{tag['id']}").get_json().items() if k != "items"
    }
    assert "items" not in link["tag"]
    assert link["_links"] == {
        "self": {"href": f"/item/{item['id']}/tag/{tag['id']}"},
        "item": {"href": f"/item/{item['id']}"},
        "tag": {"href": f"/tag/{tag['id']}"},
    }
    assert client.get(r.headers["Location"]).get_json() == link
    tag_body = client.get(f"/tag/{tag['id']}").get_json()
    assert [(i["id"], i["name"]) for i in tag_body["items"]] == [(item["id"], "Chair")]
    assert tag_body["items"][0]["_links"]["self"]["href"] == f"/item/{item['id']}"


def test_linking_twice_is_harmless_answers_200_and_makes_no_duplicate(client, user, store, item):
    tag = create_tag(client, user, store["id"])
    first = _link(client, user, item, tag)
    etag = client.get(f"/item/{item['id']}").headers["ETag"]
    second = _link(client, user, item, tag)
    assert (first.status_code, second.status_code) == (201, 200)
    assert "Location" not in second.headers
    assert second.get_json() == first.get_json()
    assert client.get(f"/item/{item['id']}").headers["ETag"] == etag  # nothing changed
    assert [t["id"] for t in client.get(f"/item/{item['id']}").get_json()["tags"]] == [tag["id"]]
    assert [i["id"] for i in client.get(f"/tag/{tag['id']}").get_json()["items"]] == [item["id"]]
    assert count_rows(client, ItemTag) == 1
    assert len(client.get(f"/item?tag={tag['name']}").get_json()["items"]) == 1


def test_a_link_reads_only_while_it_exists(client, user, store, item):
    tag = create_tag(client, user, store["id"])
    url = f"/item/{item['id']}/tag/{tag['id']}"
    assert_problem(client.get(url), 404)
    _link(client, user, item, tag)
    assert client.get(url).status_code == 200
    client.delete(url, headers=user.headers)
    assert_problem(client.get(url), 404)
    assert_problem(client.get(f"/item/999999/tag/{tag['id']}"), 404)


def test_a_tag_of_another_store_cannot_be_linked(client, user, store, item):
    elsewhere = create_store(client, user, "Elsewhere")
    foreign = create_tag(client, user, elsewhere["id"], "sale")
    assert_problem(_link(client, user, item, foreign), 409)
    assert count_rows(client, ItemTag) == 0
    assert client.get(f"/item/{item['id']}").get_json()["tags"] == []


def test_linking_needs_the_owner_and_existing_objects(client, user, other_user, store, item):
    tag = create_tag(client, user, store["id"])
    assert_problem(client.post(f"/item/{item['id']}/tag/{tag['id']}"), 401)
    assert_problem(_link(client, other_user, item, tag), 403)
    assert_problem(_link(client, user, {"id": 999999}, tag), 404)
    assert_problem(_link(client, user, item, {"id": 999999}), 404)
    assert count_rows(client, ItemTag) == 0


def test_unlink_removes_only_that_link(client, user, store, item):
    sale, new = (
        create_tag(client, user, store["id"], "sale"),
        create_tag(client, user, store["id"], "new"),
    )
    lamp = create_item(client, user, store["id"], name="Lamp")
    for it in (item, lamp):
        for tag in (sale, new):
            _link(client, user, it, tag)

    r = client.delete(f"/item/{item['id']}/tag/{sale['id']}", headers=user.headers)
    assert r.status_code == 204 and r.data == b""
    assert [t["id"] for t in client.get(f"/item/{item['id']}").get_json()["tags"]] == [new["id"]]
    assert [i["id"] for i in client.get(f"/tag/{sale['id']}").get_json()["items"]] == [lamp["id"]]
    assert count_rows(client, ItemTag) == 3
    # unlinking what is not linked changes nothing
    r = client.delete(f"/item/{item['id']}/tag/{sale['id']}", headers=user.headers)
    assert r.status_code == 204
    assert count_rows(client, ItemTag) == 3


def test_unlink_needs_the_owner(client, user, other_user, store, item):
    tag = create_tag(client, user, store["id"])
    _link(client, user, item, tag)
    url = f"/item/{item['id']}/tag/{tag['id']}"
    assert_problem(client.delete(url), 401)
    assert_problem(client.delete(url, headers=other_user.headers), 403)
    assert_problem(client.delete(f"/item/{item['id']}/tag/999999", headers=user.headers), 404)
    assert count_rows(client, ItemTag) == 1


def test_deleting_a_tag_with_linked_items_is_refused_and_deletes_nothing(client, user, store, item):
    tag = create_tag(client, user, store["id"])
    _link(client, user, item, tag)
    r = client.delete(f"/tag/{tag['id']}", headers=user.headers)
    assert "unlink" in assert_problem(r, 409)["detail"]
    assert count_rows(client, Tag, Tag.id == tag["id"]) == 1
    assert count_rows(client, ItemTag, ItemTag.tag_id == tag["id"]) == 1
    assert [t["id"] for t in client.get(f"/item/{item['id']}").get_json()["tags"]] == [tag["id"]]

    client.delete(f"/item/{item['id']}/tag/{tag['id']}", headers=user.headers)
    assert client.delete(f"/tag/{tag['id']}", headers=user.headers).status_code == 204


def test_deleting_an_unlinked_tag_answers_204(client, user, store, item):
    tag = create_tag(client, user, store["id"])
    keep = create_tag(client, user, store["id"], "keep")
    _link(client, user, item, keep)
    r = client.delete(f"/tag/{tag['id']}", headers=user.headers)
    assert r.status_code == 204 and r.data == b""
    assert count_rows(client, Tag, Tag.id == tag["id"]) == 0
    assert_problem(client.get(f"/tag/{tag['id']}"), 404)
    assert_problem(client.delete(f"/tag/{tag['id']}", headers=user.headers), 404)
    assert [t["id"] for t in client.get(f"/store/{store['id']}/tag").get_json()["tags"]] == [
        keep["id"]
    ]


def test_deleting_a_tag_needs_a_fresh_token_of_the_owner(client, user, other_user, store):
    tag = create_tag(client, user, store["id"])
    assert_problem(client.delete(f"/tag/{tag['id']}"), 401)
    assert_problem(client.delete(f"/tag/{tag['id']}", headers=other_user.headers), 403)
    refreshed = non_fresh(client, user)
    assert_problem(client.delete(f"/tag/{tag['id']}", headers=refreshed.headers), 401)
    assert count_rows(client, Tag) == 1


def test_get_tag_shows_its_items_and_links(client, user, store):
    tag = create_tag(client, user, store["id"], "sale")
    items = [
        create_item(client, user, store["id"], name=n, price=p)
        for n, p in (("Chair", "15.99"), ("Lamp", "0.10"), ("Desk", "99.00"))
    ]
    for it in items[:2]:
        _link(client, user, it, tag)
    r = client.get(f"/tag/{tag['id']}")
    assert r.status_code == 200
    body = r.get_json()
    assert [i["id"] for i in body["items"]] == [items[0]["id"], items[1]["id"]]
    assert b'"price":15.99' in r.data and b'"price":0.10' in r.data
    assert body["_links"]["self"]["href"] == f"/tag/{tag['id']}"
    assert body["_links"]["store"]["href"] == f"/store/{store['id']}"
    linked = client.get(body["_links"]["items"]["href"]).get_json()["items"]
    assert [i["id"] for i in linked] == [items[0]["id"], items[1]["id"]]


@pytest.mark.parametrize("name", ["50% off & more", "a+b=c #1", "Été/été?x=1", "tab and  space"])
def test_the_items_link_of_a_tag_works_for_any_name(client, user, store, name):
    tag = create_tag(client, user, store["id"], name)
    wanted = create_item(client, user, store["id"], name="Wanted")
    create_item(client, user, store["id"], name="Unwanted")
    _link(client, user, wanted, tag)
    href = client.get(f"/tag/{tag['id']}").get_json()["_links"]["items"]["href"]
    r = client.get(href)
    assert r.status_code == 200
    assert [i["id"] for i in r.get_json()["items"]] == [wanted["id"]]


@pytest.mark.parametrize("path", ["/tag/999999", "/tag/2147483648", "/tag/abc"])
def test_unknown_tags_are_404(client, user, path):
    assert_problem(client.get(path), 404)
    assert_problem(client.delete(path, headers=user.headers), 404)


def test_store_tags_lists_only_that_stores_tags(client, user, store):
    elsewhere = create_store(client, user, "Elsewhere")
    mine = [create_tag(client, user, store["id"], n) for n in ("b", "a", "c")]
    create_tag(client, user, elsewhere["id"], "a")
    r = client.get(f"/store/{store['id']}/tag")
    assert r.status_code == 200
    body = r.get_json()
    assert [(t["id"], t["name"]) for t in body["tags"]] == [(t["id"], t["name"]) for t in mine]
    assert all(t["store_id"] == store["id"] for t in body["tags"])
    assert body["_links"]["self"]["href"] == f"/store/{store['id']}/tag"
    assert client.get(f"/store/{elsewhere['id']}/tag").get_json()["tags"][0]["name"] == "a"
    assert_problem(client.get("/store/999999/tag"), 404)


def test_tags_embed_their_store_everywhere(client, user, store):
    tag = create_tag(client, user, store["id"], "sale")
    expected = {"id": store["id"], "name": store["name"]}
    assert tag["store"] == expected
    assert client.get(f"/tag/{tag['id']}").get_json()["store"] == expected
    listed = client.get(f"/store/{store['id']}/tag").get_json()["tags"]
    assert [t["store"] for t in listed] == [expected]
