"""Frameworks: named by their name (any case), seeded with the guide's four, JSON-LD."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import pytest

from tests.conftest import assert_problem, reset_database

SEEDED = [
    {"name": "Flask", "created": 2010, "parent": "Python"},
    {"name": "Django", "created": 2005, "parent": "Python"},
    {"name": "Bottle", "created": 2009, "parent": "Python"},
    {"name": "Tornado", "created": 2010, "parent": "Python"},
]
LD = {"Accept": "application/ld+json"}
THIS_YEAR = dt.datetime.now(dt.UTC).year


def _fields(framework: dict) -> dict:
    return {k: framework[k] for k in ("name", "created", "parent")}


def _listed(client, url: str = "/frameworks") -> list[dict]:  # type: ignore[no-untyped-def]
    r = client.get(url)
    assert r.status_code == 200, r.get_json()
    return [_fields(f) for f in r.get_json()["frameworks"]]


def create_framework(client, account, **fields) -> dict:  # type: ignore[no-untyped-def]
    body = {"name": "Falcon", "created": 2013, "parent": "Python", **fields}
    r = client.post("/frameworks", json=body, headers=account.headers)
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def _related(framework: dict) -> list[str]:
    return [link["href"] for link in framework["_links"]["related"]]


# seed and reset


def test_a_new_database_lists_the_guides_four_frameworks(client):
    r = client.get("/frameworks")
    assert r.status_code == 200
    assert list(r.get_json()) == ["frameworks", "_links"]
    assert _listed(client) == SEEDED


def test_the_reset_between_tests_restores_exactly_the_seeded_frameworks(client, user):
    create_framework(client, user)
    client.put("/frameworks/flask", json={"name": "Flask2", "created": 2011}, headers=user.headers)
    client.delete("/frameworks/Django", headers=user.headers)
    assert [f["name"] for f in _listed(client)] == ["Flask2", "Bottle", "Tornado", "Falcon"]
    reset_database(client.application)
    assert _listed(client) == SEEDED


# read


@pytest.mark.parametrize("name", ["Flask", "flask", "FLASK", "fLaSk"])
def test_names_in_urls_are_case_insensitive(client, name):
    r = client.get(f"/frameworks/{name}")
    assert r.status_code == 200
    framework = r.get_json()
    assert _fields(framework) == SEEDED[0]
    assert framework["_links"]["self"]["href"] == "/frameworks/Flask"
    assert framework["_links"]["collection"]["href"] == "/frameworks"


def test_unknown_frameworks_are_404(client, user):
    assert_problem(client.get("/frameworks/Rails"), 404)
    assert_problem(
        client.put("/frameworks/Rails", json={"created": 2004}, headers=user.headers), 404
    )
    assert_problem(client.delete("/frameworks/Rails", headers=user.headers), 404)
    assert_problem(client.get("/frameworks/Flask/extra"), 404)


def test_related_links_lead_to_the_other_frameworks_with_the_same_parent(client, user):
    create_framework(client, user, name="Rails", created=2004, parent="Ruby")
    flask = client.get("/frameworks/Flask").get_json()
    assert _related(flask) == ["/frameworks/Bottle", "/frameworks/Django", "/frameworks/Tornado"]
    for href in _related(flask):
        other = client.get(href).get_json()
        assert other["parent"] == "Python" and "/frameworks/Flask" in _related(other)
    assert flask["_links"]["same_parent"]["href"] == "/frameworks?parent=Python"
    assert [f["name"] for f in _listed(client, flask["_links"]["same_parent"]["href"])] == [
        "Flask",
        "Django",
        "Bottle",
        "Tornado",
    ]
    rails = client.get("/frameworks/rails").get_json()
    assert _related(rails) == []


def test_a_framework_without_parent_has_no_related_links(client, user):
    orphan = create_framework(client, user, name="Orphan", parent=None)
    assert orphan["parent"] is None
    assert _related(orphan) == [] and "same_parent" not in orphan["_links"]


def test_parents_match_in_any_case(client, user):
    create_framework(client, user, name="Sanic", parent="python")
    assert "/frameworks/Sanic" in _related(client.get("/frameworks/Flask").get_json())
    assert len(_listed(client, "/frameworks?parent=PYTHON")) == 5
    assert _listed(client, "/frameworks?parent=Rust") == []


def test_list_is_paginated(client, user):
    create_framework(client, user)
    r = client.get("/frameworks?limit=2")
    first = r.get_json()
    assert [f["name"] for f in first["frameworks"]] == ["Flask", "Django"]
    assert 'rel="next"' in r.headers["Link"]
    second = client.get(first["_links"]["next"]["href"]).get_json()
    assert [f["name"] for f in second["frameworks"]] == ["Bottle", "Tornado"]
    third = client.get(second["_links"]["next"]["href"]).get_json()
    assert [f["name"] for f in third["frameworks"]] == ["Falcon"]
    assert "next" not in third["_links"]
    assert_problem(client.get("/frameworks?limit=0"), 422)
    assert_problem(client.get("/frameworks?cursor=nope"), 422)


# create


def test_create_answers_201_with_location(client, user):
    r = client.post(
        "/frameworks",
        json={"name": "FastAPI", "created": 2018, "parent": "Python"},
        headers=user.headers,
    )
    assert r.status_code == 201
    assert r.headers["Location"] == "/frameworks/FastAPI"
    assert _fields(r.get_json()) == {"name": "FastAPI", "created": 2018, "parent": "Python"}
    assert client.get(r.headers["Location"]).get_json() == r.get_json()


def test_create_accepts_form_bodies_and_an_empty_parent_means_none(client, user):
    r = client.post(
        "/frameworks",
        data={"name": "Pyramid", "created": "2008", "parent": ""},
        headers=user.headers,
    )
    assert r.status_code == 201, r.get_json()
    assert _fields(r.get_json()) == {"name": "Pyramid", "created": 2008, "parent": None}


def test_names_with_spaces_and_symbols_get_working_urls(client, user):
    r = client.post(
        "/frameworks", json={"name": "web.py 0.4? #1%", "created": 2006}, headers=user.headers
    )
    assert r.status_code == 201, r.get_json()
    location = r.headers["Location"]
    assert location == "/frameworks/" + quote("web.py 0.4? #1%", safe="")
    assert client.get(location).get_json()["name"] == "web.py 0.4? #1%"
    assert client.delete(location, headers=user.headers).status_code == 204


@pytest.mark.parametrize("name", ["Flask", "flask", " FLASK "])
def test_duplicate_names_are_409_in_any_case(client, user, name):
    r = client.post("/frameworks", json={"name": name, "created": 2011}, headers=user.headers)
    assert_problem(r, 409)
    assert _listed(client) == SEEDED


@pytest.mark.parametrize("year", [1950, 2000, THIS_YEAR, str(THIS_YEAR)])
def test_years_from_1950_to_this_year_are_accepted(client, user, year):
    created = create_framework(client, user, created=year)
    assert created["created"] == int(year)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "New", "created": 1949}, "created"),
        ({"name": "New", "created": THIS_YEAR + 1}, "created"),
        ({"name": "New", "created": "soon"}, "created"),
        ({"name": "New", "created": 2010.5}, "created"),
        ({"name": "New"}, "created"),
        ({"created": 2010}, "name"),
        ({"name": "", "created": 2010}, "name"),
        ({"name": "a/b", "created": 2010}, "name"),
        ({"name": "a\\b", "created": 2010}, "name"),
        ({"name": "..", "created": 2010}, "name"),
        ({"name": "x" * 81, "created": 2010}, "name"),
        ({"name": "tab\there", "created": 2010}, "name"),
        ({"name": "New", "created": 2010, "parent": "p" * 81}, "parent"),
        ({"name": "New", "created": 2010, "stars": 5}, "stars"),
    ],
)
def test_invalid_frameworks_are_422_with_the_field_named(client, user, body, field):
    r = client.post("/frameworks", json=body, headers=user.headers)
    problem = assert_problem(r, 422)
    assert field in [e["field"] for e in problem["errors"]]
    assert _listed(client) == SEEDED


# update


def test_update_changes_only_the_given_fields(client, user):
    r = client.put("/frameworks/django", json={"created": 2006}, headers=user.headers)
    assert r.status_code == 200
    assert _fields(r.get_json()) == {"name": "Django", "created": 2006, "parent": "Python"}
    assert _fields(client.get("/frameworks/Django").get_json())["created"] == 2006


def test_update_with_empty_fields_keeps_them_and_null_parent_clears_it(client, user):
    r = client.put(
        "/frameworks/Bottle",
        data={"name": "", "created": "", "parent": "Py"},
        headers=user.headers,
    )
    assert _fields(r.get_json()) == {"name": "Bottle", "created": 2009, "parent": "Py"}
    r = client.put("/frameworks/Bottle", json={"parent": None}, headers=user.headers)
    assert _fields(r.get_json()) == {"name": "Bottle", "created": 2009, "parent": None}


@pytest.mark.parametrize(
    "body", [{}, {"name": ""}, {"created": 1900}, {"name": "x/y"}, {"version": 9}]
)
def test_bad_updates_are_422_and_change_nothing(client, user, body):
    assert_problem(client.put("/frameworks/Flask", json=body, headers=user.headers), 422)
    assert _listed(client) == SEEDED


def test_renaming_moves_the_framework_to_its_new_url(client, user):
    r = client.put("/frameworks/flask", json={"name": "Flask 3"}, headers=user.headers)
    assert r.status_code == 200
    assert r.headers["Content-Location"] == "/frameworks/Flask%203"
    assert r.get_json()["_links"]["self"]["href"] == "/frameworks/Flask%203"
    assert_problem(client.get("/frameworks/Flask"), 404)
    assert client.get("/frameworks/flask%203").get_json()["created"] == 2010
    assert "/frameworks/Flask%203" in _related(client.get("/frameworks/Django").get_json())


def test_renaming_onto_another_framework_is_409_but_changing_case_is_allowed(client, user):
    r = client.put("/frameworks/Flask", json={"name": "django"}, headers=user.headers)
    assert_problem(r, 409)
    assert _listed(client) == SEEDED
    r = client.put("/frameworks/Flask", json={"name": "FLASK"}, headers=user.headers)
    assert r.status_code == 200 and r.get_json()["name"] == "FLASK"


# delete


def test_delete_answers_204_and_the_framework_is_gone(client, user):
    r = client.delete("/frameworks/tornado", headers=user.headers)
    assert r.status_code == 204 and r.data == b""
    assert_problem(client.get("/frameworks/Tornado"), 404)
    assert "/frameworks/Tornado" not in _related(client.get("/frameworks/Flask").get_json())
    assert [f["name"] for f in _listed(client)] == ["Flask", "Django", "Bottle"]


# authorization


def test_anonymous_writes_are_401_and_change_nothing(client):
    for headers in ({}, {"Authorization": "Bearer forged"}):
        body = {"name": "Falcon", "created": 2013}
        assert_problem(client.post("/frameworks", json=body, headers=headers), 401)
        r = client.put("/frameworks/Flask", json={"created": 2011}, headers=headers)
        assert_problem(r, 401)
        assert r.headers["WWW-Authenticate"].startswith("Bearer")
        assert_problem(client.delete("/frameworks/Flask", headers=headers), 401)
    assert _listed(client) == SEEDED


def test_frameworks_have_no_owner_any_logged_in_user_may_change_them(client, user, other_user):
    create_framework(client, user)
    r = client.put("/frameworks/Falcon", json={"created": 2014}, headers=other_user.headers)
    assert r.status_code == 200
    assert client.delete("/frameworks/Falcon", headers=other_user.headers).status_code == 204


# caching and conditional writes


def test_etag_revalidates_and_changes_when_a_related_framework_appears(client, user):
    etag = client.get("/frameworks/Flask").headers["ETag"]
    assert client.get("/frameworks/Flask", headers={"If-None-Match": etag}).status_code == 304
    create_framework(client, user, name="Quart", created=2017)
    r = client.get("/frameworks/Flask", headers={"If-None-Match": etag})
    assert r.status_code == 200
    assert "/frameworks/Quart" in _related(r.get_json())
    assert r.headers["ETag"] != etag


def test_writes_honour_if_match(client, user):
    stale = client.get("/frameworks/Flask").headers["ETag"]
    r = client.put(
        "/frameworks/Flask", json={"created": 2011}, headers={**user.headers, "If-Match": stale}
    )
    assert r.status_code == 200
    current = r.headers["ETag"]
    assert current != stale
    r = client.put(
        "/frameworks/Flask", json={"created": 2012}, headers={**user.headers, "If-Match": stale}
    )
    assert_problem(r, 412)
    assert_problem(
        client.delete("/frameworks/Flask", headers={**user.headers, "If-Match": stale}), 412
    )
    assert client.get("/frameworks/Flask").get_json()["created"] == 2011
    r = client.delete("/frameworks/Flask", headers={**user.headers, "If-Match": current})
    assert r.status_code == 204


# JSON-LD


def test_json_ld_has_context_id_type_and_related_ids(client):
    r = client.get("/frameworks/flask", headers=LD)
    assert r.status_code == 200
    assert r.mimetype == "application/ld+json"
    assert "Accept" in r.headers["Vary"]
    doc = r.get_json()
    assert doc["@id"] == "/frameworks/Flask"
    assert doc["@type"] == "SoftwareSourceCode"
    context = doc["@context"]
    assert context["@vocab"] == "https://schema.org/"
    assert context["related"]["@type"] == "@id"
    assert {k: doc[k] for k in ("name", "created", "parent")} == SEEDED[0]
    assert doc["related"] == ["/frameworks/Bottle", "/frameworks/Django", "/frameworks/Tornado"]
    for related_id in doc["related"]:
        other = client.get(related_id, headers=LD).get_json()
        assert other["@id"] == related_id and other["parent"] == "Python"
    assert r.headers["ETag"] != client.get("/frameworks/flask").headers["ETag"]
    assert (
        client.get(
            "/frameworks/flask", headers={**LD, "If-None-Match": r.headers["ETag"]}
        ).status_code
        == 304
    )


def test_json_ld_list_and_created_framework(client, user):
    r = client.get("/frameworks", headers=LD)
    assert r.mimetype == "application/ld+json"
    doc = r.get_json()
    assert doc["@type"] == "ItemList" and doc["@id"] == "/frameworks"
    assert doc["@context"]["frameworks"] == "itemListElement"
    assert [f["@id"] for f in doc["frameworks"]] == [
        "/frameworks/Flask",
        "/frameworks/Django",
        "/frameworks/Bottle",
        "/frameworks/Tornado",
    ]
    assert all(f["@type"] == "SoftwareSourceCode" for f in doc["frameworks"])
    r = client.post(
        "/frameworks",
        json={"name": "Falcon", "created": 2013},
        headers={**user.headers, **LD},
    )
    assert r.status_code == 201 and r.mimetype == "application/ld+json"
    assert r.get_json()["@id"] == "/frameworks/Falcon"


def test_other_media_types_are_406(client):
    assert_problem(client.get("/frameworks/Flask", headers={"Accept": "text/html"}), 406)
    assert client.get("/frameworks/Flask", headers={"Accept": "*/*"}).mimetype == "application/json"


# discovery


def test_frameworks_are_in_the_home_document_openapi_and_docs(client):
    home = client.get("/").get_json()
    assert home["_links"]["frameworks"]["href"] == "/frameworks"
    paths = client.get("/openapi.json").get_json()["paths"]
    assert set(paths["/frameworks"]) == {"get", "post"}
    assert set(paths["/frameworks/{name}"]) == {"get", "put", "delete"}
    one = paths["/frameworks/{name}"]
    assert one["get"]["parameters"][0] == {
        "name": "name",
        "in": "path",
        "required": True,
        "schema": {"type": "string"},
    }
    assert "application/ld+json" in one["get"]["responses"]["200"]["content"]
    assert {"401", "404", "409", "412", "422"} <= set(one["put"]["responses"])
    assert one["delete"]["security"] == [{"bearerAuth": []}]
    assert "409" in paths["/frameworks"]["post"]["responses"]
    assert client.get("/docs").status_code == 200
