"""XML output: every documented representation as application/xml, problems as
application/problem+xml (RFC 9457), with the JSON's data and links, ETags of their own and
`Vary: Accept`; XML request bodies are refused."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from decimal import Decimal
from typing import Any

import pytest
from flask.testing import FlaskClient

from storeapi.http.xml_documents import to_xml
from tests.conftest import Account, assert_problem, create_item, create_tag

XML = {"Accept": "application/xml"}
PROBLEM_NS = "{urn:ietf:rfc:7807}"
NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def read_back(element: ET.Element) -> Any:
    """The JSON value an element stands for, by the documented mapping (scalars as text)."""
    children = list(element)
    if element.get(NIL) == "true":
        return None
    if not children:
        return element.text or ""
    if all(c.tag.removeprefix(PROBLEM_NS) == "i" for c in children):
        return [read_back(c) for c in children]
    return {
        c.get("key") if c.tag == "entry" else c.tag.removeprefix(PROBLEM_NS): read_back(c)
        for c in children
    }


def as_text(value: Any) -> Any:
    """A JSON value as the XML carries it: scalars as their JSON text, empty containers empty."""
    if isinstance(value, dict):
        return {k: as_text(v) for k, v in value.items()} if value else ""
    if isinstance(value, list):
        return [as_text(v) for v in value] if value else ""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def xml_of(response) -> ET.Element:  # type: ignore[no-untyped-def]
    return ET.fromstring(response.data)  # our own output, in a test


@pytest.fixture
def shop(client: FlaskClient, user: Account, store: dict) -> dict:
    """A store with a tagged item priced with a trailing zero, and a second item."""
    item = create_item(client, user, store["id"], price="4.20")
    create_item(client, user, store["id"], name="Table")
    tag = create_tag(client, user, store["id"])
    r = client.post(f"/item/{item['id']}/tag/{tag['id']}", headers=user.headers)
    assert r.status_code in (200, 201)
    return {"store": store, "item": item, "tag": tag}


def readable_paths(shop: dict) -> list[str]:
    s, i, t = shop["store"]["id"], shop["item"]["id"], shop["tag"]["id"]
    return [
        "/",
        "/healthz",
        "/readyz",
        "/store",
        f"/store/{s}",
        f"/store/{s}/tag",
        "/item",
        "/item?limit=1",
        f"/item/{i}",
        f"/tag/{t}",
        "/books",
        "/frameworks",
        "/frameworks/Flask",
        "/user/me",
    ]


def test_every_representation_is_the_same_data_as_xml(client, user, shop):
    for path in readable_paths(shop):
        as_json = client.get(path, headers=user.headers)
        as_xml = client.get(path, headers={**XML, **user.headers})
        assert as_json.status_code == as_xml.status_code == 200, path
        assert as_xml.mimetype == "application/xml", path
        exact = json.loads(as_json.data, parse_float=str, parse_int=str)  # 4.20 stays 4.20
        assert read_back(xml_of(as_xml)) == as_text(exact), path
        assert as_xml.headers["Vary"] == as_json.headers["Vary"], path
        assert "Accept" in as_xml.headers["Vary"]
        assert as_xml.headers.get("Link") == as_json.headers.get("Link"), path
        assert as_xml.headers["Cache-Control"] == as_json.headers["Cache-Control"], path


def test_an_item_in_xml(client, shop):
    item = shop["item"]
    r = client.get(f"/item/{item['id']}", headers=XML)
    root = xml_of(r)
    assert root.tag == "item"
    assert root.findtext("price") == "4.20"  # exact, as the JSON writes it
    assert root.findtext("_links/self/href") == f"/item/{item['id']}"
    assert [t.findtext("name") for t in root.findall("tags/i")] == ["sale"]
    assert r.data.startswith(b"<?xml version='1.0' encoding='utf-8'?>")


def test_a_list_page_in_xml_has_the_same_links(client, shop):
    first = client.get("/item?limit=1", headers=XML)
    root = xml_of(first)
    assert root.tag == "item_list" and len(root.findall("items/i")) == 1
    next_href = root.findtext("_links/next/href")
    assert next_href == client.get("/item?limit=1").get_json()["_links"]["next"]["href"]
    second = xml_of(client.get(next_href, headers=XML))
    assert second.findtext("items/i/name") == "Table"


def test_each_media_type_has_its_own_etag(client, shop):
    path = f"/item/{shop['item']['id']}"
    tags = {
        accept: client.get(path, headers={"Accept": accept}).headers["ETag"]
        for accept in ("application/json", "application/ld+json", "application/xml")
    }
    assert len(set(tags.values())) == 3
    xml_tag, json_tag = tags["application/xml"], tags["application/json"]
    r = client.get(path, headers={**XML, "If-None-Match": xml_tag})
    assert r.status_code == 304 and r.headers["ETag"] == xml_tag and r.data == b""
    assert "Accept" in r.headers["Vary"]
    assert client.get(path, headers={**XML, "If-None-Match": json_tag}).status_code == 200
    assert client.get(path, headers={"If-None-Match": xml_tag}).status_code == 200


def test_hashed_representations_have_their_own_etag_too(client, shop):
    path = f"/store/{shop['store']['id']}"
    json_tag = client.get(path).headers["ETag"]
    xml_tag = client.get(path, headers=XML).headers["ETag"]
    assert xml_tag != json_tag
    assert client.get(path, headers={**XML, "If-None-Match": xml_tag}).status_code == 304
    assert client.get(path, headers={**XML, "If-None-Match": json_tag}).status_code == 200


def test_if_match_takes_the_xml_etag(client, user, shop):
    item_path = f"/item/{shop['item']['id']}"
    xml_tag = client.get(item_path, headers=XML).headers["ETag"]
    r = client.put(
        item_path, json={"price": "5.00"}, headers={**user.headers, **XML, "If-Match": xml_tag}
    )
    assert r.status_code == 200 and r.mimetype == "application/xml"
    assert xml_of(r).findtext("price") == "5.00"
    assert r.headers["ETag"] != xml_tag and r.headers["ETag"].endswith('xml"')
    stale = client.put(
        item_path, json={"price": "6"}, headers={**user.headers, "If-Match": xml_tag}
    )
    assert_problem(stale, 412)

    store_path = f"/store/{shop['store']['id']}"
    store_tag = client.get(store_path, headers=XML).headers["ETag"]
    r = client.delete(store_path, headers={**user.headers, "If-Match": store_tag + "x"})
    assert_problem(r, 412)


def test_a_creation_answers_in_xml(client, user, shop):
    r = client.post(
        "/item",
        json={"name": "Lamp", "price": "12.50", "store_id": shop["store"]["id"]},
        headers={**user.headers, **XML},
    )
    assert r.status_code == 201 and r.mimetype == "application/xml"
    root = xml_of(r)
    assert r.headers["Location"] == root.findtext("_links/self/href") == f"/item/{root[0].text}"
    assert r.headers["ETag"].endswith('xml"')


@pytest.mark.parametrize(
    "accept",
    ["application/xml", "application/xml, application/problem+xml", "application/xml, */*;q=0.1"],
)
def test_problems_are_problem_xml_for_xml_clients(client, accept):
    r = client.get("/item/999999", headers={"Accept": accept})
    assert r.status_code == 404 and r.mimetype == "application/problem+xml"
    assert r.headers["Vary"] == "Accept" and r.headers["Cache-Control"] == "no-store"
    root = xml_of(r)
    assert root.tag == f"{PROBLEM_NS}problem"
    assert read_back(root) == {
        "type": "https://storeapi.dev/problems/not-found",
        "title": "Not Found",
        "status": "404",
        "detail": "Item not found",
        "instance": "/item/999999",
    }


def test_validation_errors_in_xml(client, user, store):
    r = client.post(
        "/item",
        json={"name": "", "price": "1.234", "store_id": store["id"], "owner_id": 1},
        headers={**user.headers, **XML},
    )
    assert r.status_code == 422 and r.mimetype == "application/problem+xml"
    root = xml_of(r)
    errors = root.findall(f"{PROBLEM_NS}errors/{PROBLEM_NS}i")
    fields = {e.findtext(f"{PROBLEM_NS}field") for e in errors}
    assert {"name", "price", "owner_id"} <= fields


def test_problems_stay_json_for_everyone_else(client):
    for accept in (None, "*/*", "application/json", "text/csv", BROWSER):
        headers = {"Accept": accept} if accept else {}
        r = client.get("/item/999999", headers=headers)
        assert r.mimetype == "application/problem+json", accept
        assert r.headers["Vary"] == "Accept"


def test_json_only_resources_refuse_xml_in_xml(client, item):
    r = client.get("/openapi.json", headers=XML)
    assert r.status_code == 406 and r.mimetype == "application/problem+xml"
    assert "application/json" in xml_of(r).findtext(f"{PROBLEM_NS}detail")
    # a client that takes only problem documents is told so in the format it asked for
    r = client.get(f"/item/{item['id']}", headers={"Accept": "application/problem+xml"})
    assert r.status_code == 406 and r.mimetype == "application/problem+xml"


def test_a_browser_gets_json(client, shop):
    """A page load ranks XML above */*, for XHTML: an API URL opened in a browser shows JSON."""
    r = client.get(f"/item/{shop['item']['id']}", headers={"Accept": BROWSER})
    assert r.status_code == 200 and r.mimetype == "application/json"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("application/xml", "application/xml"),
        ("application/xml, application/json;q=0.5", "application/xml"),
        ("application/json, application/xml;q=0.5", "application/json"),
        ("application/xml;q=0.5, application/json", "application/json"),
        ("application/*", "application/json"),
        ("text/html, application/xml", "application/xml"),  # no JSON accepted: what it asks
    ],
)
def test_xml_by_preference(client, item, accept, expected):
    r = client.get(f"/item/{item['id']}", headers={"Accept": accept})
    assert r.status_code == 200 and r.mimetype == expected


@pytest.mark.parametrize(
    "ctype", ["application/xml", "text/xml", "application/problem+xml", "application/atom+xml"]
)
def test_xml_bodies_are_415(client, user, ctype):
    body = b"<store><name>x</name></store>"
    r = client.post("/store", data=body, headers={**user.headers, "Content-Type": ctype})
    assert "XML is for responses" in assert_problem(r, 415)["detail"]
    r = client.post("/store", data=body, headers={**user.headers, **XML, "Content-Type": ctype})
    assert r.status_code == 415 and r.mimetype == "application/problem+xml"


def test_documents_are_well_formed_whatever_the_data():
    data = {
        "control\x01": "a\x00b\x1fc\ud800d",
        "1st": [],
        "xmlish": {"ok-name.x": None},
        "when": dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC),
        "naive": dt.datetime(2026, 12, 3, 10, 0, 0, 5),
        "price": Decimal("4.20"),
        "ratio": 0.5,
        "flag": False,
        "nested": [[1, 2], {"a": "<&>\"'"}],
    }
    root = ET.fromstring(to_xml(data, "thing"))
    assert read_back(root) == {
        "control\ufffd": "a\ufffdb\ufffdc\ufffdd",
        "1st": "",
        "xmlish": {"ok-name.x": None},
        "when": "2026-12-03T10:00:00Z",
        "naive": "2026-12-03T10:00:00.000005Z",
        "price": "4.20",
        "ratio": "0.5",
        "flag": "false",
        "nested": [["1", "2"], {"a": "<&>\"'"}],
    }
    assert root.find("entry[@key='xmlish']") is not None  # `xml...` names are reserved


def test_openapi_documents_the_xml(client):
    spec = client.get("/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                content = response.get("content", {})
                if "application/json" in content and path != "/openapi.json":
                    assert content["application/xml"] == content["application/json"], (
                        method,
                        path,
                        status,
                    )
                if "application/problem+json" in content:
                    assert "application/problem+xml" in content
    assert "application/xml" not in spec["paths"]["/openapi.json"]["get"]["responses"]["200"].get(
        "content", {}
    )
    assert schemas["ItemPublic"]["xml"] == {"name": "item"}
    assert schemas["ItemList"]["xml"] == {"name": "item_list"}
    assert schemas["ItemList"]["properties"]["items"]["xml"] == {"wrapped": True}
    assert schemas["ItemList"]["properties"]["items"]["items"]["xml"] == {"name": "i"}
    assert schemas["ProblemDoc"]["xml"] == {"name": "problem", "namespace": "urn:ietf:rfc:7807"}
    assert "application/xml" in spec["info"]["description"]
