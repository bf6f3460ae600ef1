"""The walk-through of the README, end to end, through the HTTP interface."""

from tests.conftest import assert_problem, create_item, create_store, create_tag


def test_register_login_and_build_a_store(client, user):
    store = create_store(client, user)
    item = create_item(client, user, store["id"], price="15.99")
    tag = create_tag(client, user, store["id"])
    r = client.post(f"/item/{item['id']}/tag/{tag['id']}", headers=user.headers)
    assert r.status_code == 201
    assert [t["name"] for t in r.get_json()["item"]["tags"]] == ["sale"]
    r = client.get("/item?tag=sale&q=chai")
    assert [i["id"] for i in r.get_json()["items"]] == [item["id"]]
    assert r.get_json()["items"][0]["price"] == 15.99
    assert b'"price":15.99' in r.data
    r = client.post("/logout", headers=user.headers)
    assert r.status_code == 204
    assert_problem(client.post("/store", json={"name": "x"}, headers=user.headers), 401)
