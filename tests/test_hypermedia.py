"""Level 3: a client that knows only `/` reaches everything by following links."""

from __future__ import annotations

import re

from tests.conftest import create_item, create_store, create_tag


def _hrefs(node) -> list[str]:  # type: ignore[no-untyped-def]
    if isinstance(node, dict):
        followable = isinstance(node.get("href"), str) and node.get("method", "GET") == "GET"
        found = [node["href"]] if followable else []
        return found + [h for v in node.values() for h in _hrefs(v)]
    if isinstance(node, list):
        return [h for v in node for h in _hrefs(v)]
    return []


def test_the_whole_api_is_reachable_from_the_home_document(client, user):
    store = create_store(client, user)
    item = create_item(client, user, store["id"])
    tag = create_tag(client, user, store["id"])
    client.post(f"/item/{item['id']}/tag/{tag['id']}", headers=user.headers)

    queue, visited = ["/"], {}
    while queue and len(visited) < 300:
        href = queue.pop(0)
        if href in visited:
            continue
        r = client.get(href)
        visited[href] = r.status_code
        if r.mimetype == "application/json":
            queue += [h for h in _hrefs(r.get_json()) if h not in visited]
    readable = {h for h, status in visited.items() if status == 200}
    assert set(visited) == readable, {h: s for h, s in visited.items() if s != 200}
    for path in (
        f"/store/{store['id']}",
        f"/item/{item['id']}",
        f"/tag/{tag['id']}",
        f"/store/{store['id']}/tag",
        "/docs",
        "/openapi.json",
        "/store",
        "/item",
    ):
        assert path in readable, path
    assert any(re.fullmatch(r"/item\?store_id=\d+", h) for h in readable)


def test_objects_link_to_their_relatives(client, user):
    store = create_store(client, user)
    item = create_item(client, user, store["id"])
    tag = create_tag(client, user, store["id"])
    link = client.post(f"/item/{item['id']}/tag/{tag['id']}", headers=user.headers).get_json()
    assert link["_links"]["item"]["href"] == f"/item/{item['id']}"
    assert link["_links"]["tag"]["href"] == f"/tag/{tag['id']}"
    assert client.get(link["_links"]["self"]["href"]).get_json() == link
    item = link["item"]
    assert item["_links"]["self"]["href"] == f"/item/{item['id']}"
    assert item["_links"]["store"]["href"] == f"/store/{store['id']}"
    assert item["_links"]["tags"] == [{"href": f"/tag/{tag['id']}"}]
    store = client.get(f"/store/{store['id']}").get_json()
    assert {"self", "items", "tags"} <= set(store["_links"])
    tag = client.get(f"/tag/{tag['id']}").get_json()
    assert {"self", "store", "items"} <= set(tag["_links"])
    listed = client.get(tag["_links"]["items"]["href"]).get_json()["items"]
    assert [i["id"] for i in listed] == [item["id"]]


def test_home_document_links_every_collection_and_the_docs(client):
    links = client.get("/").get_json()["_links"]
    for rel in ("self", "stores", "items", "docs", "openapi", "login", "register"):
        assert rel in links, rel
