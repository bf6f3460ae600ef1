"""Books: /books, and the tutorial's /booksApi with its query-string style, through HTTP."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import pytest

from storeapi.models import Book
from tests.conftest import assert_problem, count_rows

DUNE = {"title": "Dune", "author": "Frank Herbert", "genre": "Science fiction"}


def create_book(client, account, **fields) -> dict:  # type: ignore[no-untyped-def]
    r = client.post("/books", json={**DUNE, **fields}, headers=account.headers)
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def _fields(book: dict) -> dict:
    return {k: book[k] for k in ("title", "author", "genre")}


# /books


def test_create_answers_201_with_location_and_the_book(client, user):
    r = client.post("/books", json=DUNE, headers=user.headers)
    assert r.status_code == 201
    book = r.get_json()
    assert r.headers["Location"] == f"/books/{book['id']}"
    assert _fields(book) == DUNE
    assert book["created_at"].endswith("Z") and book["updated_at"] == book["created_at"]
    assert book["_links"]["self"]["href"] == f"/books/{book['id']}"
    assert book["_links"]["collection"]["href"] == "/books"

    r = client.get(r.headers["Location"])
    assert r.status_code == 200
    assert r.get_json() == book


def test_genre_is_optional_and_form_bodies_are_accepted(client, user):
    r = client.post("/books", data={"title": "Emma", "author": "Jane Austen"}, headers=user.headers)
    assert r.status_code == 201, r.get_json()
    assert _fields(r.get_json()) == {"title": "Emma", "author": "Jane Austen", "genre": None}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"author": "A"}, "title"),
        ({"title": "T"}, "author"),
        ({"title": "   ", "author": "A"}, "title"),
        ({"title": "T", "author": ""}, "author"),
        ({"title": "x" * 251, "author": "A"}, "title"),
        ({"title": "T", "author": "x" * 251}, "author"),
        ({"title": "T", "author": "A", "genre": "x" * 251}, "genre"),
        ({"title": "T\x00", "author": "A"}, "title"),
        ({"title": 5, "author": "A"}, "title"),
        ({"title": "T", "author": "A", "id": 7}, "id"),
    ],
)
def test_invalid_books_are_refused_with_the_field_named(client, user, body, field):
    r = client.post("/books", json=body, headers=user.headers)
    problem = assert_problem(r, 422)
    assert field in [e["field"] for e in problem["errors"]]
    assert count_rows(client, Book) == 0


def test_fields_of_250_characters_are_accepted(client, user):
    long = "é" * 250
    book = create_book(client, user, title=long, author=long, genre=long)
    assert _fields(book) == {"title": long, "author": long, "genre": long}


def test_malformed_json_is_400_and_other_media_types_415(client, user):
    r = client.post(
        "/books", data="{", headers={**user.headers, "Content-Type": "application/json"}
    )
    assert_problem(r, 400)
    r = client.post("/books", data="t", headers={**user.headers, "Content-Type": "text/plain"})
    assert_problem(r, 415)


def test_query_string_fields_are_only_for_the_tutorial_paths(client, user):
    r = client.post("/books?" + urlencode(DUNE), headers=user.headers)
    problem = assert_problem(r, 422)
    assert {"title", "author"} <= {e["field"] for e in problem["errors"]}
    assert count_rows(client, Book) == 0


@pytest.mark.parametrize("path", ["/books/{id}", "/booksApi/{id}"])
def test_unknown_books_are_404(client, user, path):
    book = create_book(client, user)
    for missing in (book["id"] + 1, 2**31 - 1, 2**31, 10**30):
        url = path.format(id=missing)
        assert_problem(client.get(url), 404)
        assert_problem(client.put(url, json={"title": "x"}, headers=user.headers), 404)
        assert_problem(client.delete(url, headers=user.headers), 404)
    assert_problem(client.get(path.format(id="dune")), 404)


def test_update_changes_only_the_given_fields(client, user):
    book = create_book(client, user)
    r = client.put(f"/books/{book['id']}", json={"title": "Dune Messiah"}, headers=user.headers)
    assert r.status_code == 200
    assert _fields(r.get_json()) == {**DUNE, "title": "Dune Messiah"}
    changed_at = dt.datetime.fromisoformat(r.get_json()["updated_at"])
    assert changed_at > dt.datetime.fromisoformat(book["updated_at"])
    assert _fields(client.get(f"/books/{book['id']}").get_json())["title"] == "Dune Messiah"


def test_update_with_empty_fields_keeps_them_and_null_genre_clears_it(client, user):
    book = create_book(client, user)
    url = f"/books/{book['id']}"
    r = client.put(url, json={"title": "", "author": "  ", "genre": "Epic"}, headers=user.headers)
    assert r.status_code == 200
    assert _fields(r.get_json()) == {**DUNE, "genre": "Epic"}
    r = client.put(url, json={"genre": None}, headers=user.headers)
    assert _fields(r.get_json()) == {**DUNE, "genre": None}


@pytest.mark.parametrize(
    "body", [{}, {"title": ""}, {"title": None, "author": None}, {"title": " ", "genre": ""}]
)
def test_update_with_nothing_to_change_is_422_and_changes_nothing(client, user, body):
    book = create_book(client, user)
    assert_problem(client.put(f"/books/{book['id']}", json=body, headers=user.headers), 422)
    assert client.get(f"/books/{book['id']}").get_json() == book


@pytest.mark.parametrize(
    "body", [{"title": "x" * 251}, {"author": "a\x07"}, {"isbn": "123"}, {"genre": 3}]
)
def test_invalid_updates_are_422_and_change_nothing(client, user, body):
    book = create_book(client, user)
    assert_problem(client.put(f"/books/{book['id']}", json=body, headers=user.headers), 422)
    assert client.get(f"/books/{book['id']}").get_json() == book


def test_delete_answers_204_then_the_book_is_gone(client, user):
    book = create_book(client, user)
    r = client.delete(f"/books/{book['id']}", headers=user.headers)
    assert r.status_code == 204 and r.data == b""
    assert_problem(client.get(f"/books/{book['id']}"), 404)
    assert client.get("/books").get_json()["books"] == []


def test_books_have_no_owner_any_logged_in_user_may_change_them(client, user, other_user):
    book = create_book(client, user)
    url = f"/books/{book['id']}"
    r = client.put(url, json={"genre": "Classic"}, headers=other_user.headers)
    assert r.status_code == 200 and r.get_json()["genre"] == "Classic"
    assert client.delete(url, headers=other_user.headers).status_code == 204


# authorization


@pytest.mark.parametrize("prefix", ["/books", "/booksApi"])
def test_anonymous_writes_are_401_and_change_nothing(client, user, prefix):
    book = create_book(client, user)
    url = f"{prefix}/{book['id']}"
    bad = {"Authorization": "Bearer not-a-token"}
    for headers in ({}, bad):
        r = client.post(prefix, json=DUNE, headers=headers)
        assert_problem(r, 401)
        assert r.headers["WWW-Authenticate"].startswith("Bearer")
        assert_problem(client.post(prefix + "?" + urlencode(DUNE), headers=headers), 401)
        assert_problem(client.put(url, json={"title": "Hacked"}, headers=headers), 401)
        assert_problem(client.put(url + "?title=Hacked", headers=headers), 401)
        assert_problem(client.delete(url, headers=headers), 401)
    assert count_rows(client, Book) == 1
    assert client.get(url).get_json() == book


def test_reads_are_public(client, user):
    book = create_book(client, user)
    for url in ("/books", f"/books/{book['id']}", "/booksApi", f"/booksApi/{book['id']}"):
        assert client.get(url).status_code == 200


def test_a_logged_out_token_may_not_write(client, user):
    assert client.post("/logout", headers=user.headers).status_code == 204
    assert_problem(client.post("/booksApi?" + urlencode(DUNE), headers=user.headers), 401)
    assert count_rows(client, Book) == 0


# list, filters, pagination


@pytest.fixture
def shelf(client, user) -> list[dict]:
    books = [
        ("Dune", "Frank Herbert", "Science fiction"),
        ("Children of Dune", "Frank Herbert", "Science fiction"),
        ("Emma", "Jane Austen", "Romance"),
        ("Persuasion", "Jane Austen", None),
        ("The Hobbit", "J. R. R. Tolkien", "Fantasy"),
        ("100% Herbal", "A. Gardener", "Garden"),
    ]
    return [create_book(client, user, title=t, author=a, genre=g) for t, a, g in books]


def _titles(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.get_json()
    return [b["title"] for b in response.get_json()["books"]]


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("", ["Dune", "Children of Dune", "Emma", "Persuasion", "The Hobbit", "100% Herbal"]),
        ("author=Jane Austen", ["Emma", "Persuasion"]),
        ("author=jane%20AUSTEN", ["Emma", "Persuasion"]),
        ("author=Jane", []),
        ("genre=science fiction", ["Dune", "Children of Dune"]),
        ("genre=Romance&author=Jane Austen", ["Emma"]),
        ("q=dune", ["Dune", "Children of Dune"]),
        ("q=HERBERT", ["Dune", "Children of Dune"]),
        ("q=herb", ["Dune", "Children of Dune", "100% Herbal"]),
        ("q=100%25", ["100% Herbal"]),
        ("q=%25", ["100% Herbal"]),
        ("q=_", []),
        ("q=dune&author=Nobody", []),
        (
            "author=&genre=",
            ["Dune", "Children of Dune", "Emma", "Persuasion", "The Hobbit", "100% Herbal"],
        ),
    ],
)
def test_list_filters_by_author_genre_and_q(client, shelf, query, titles):
    assert _titles(client.get(f"/books?{query}")) == titles
    assert _titles(client.get(f"/booksApi?{query}")) == titles


def test_the_by_author_link_lists_that_authors_books(client, shelf):
    emma = client.get(f"/books/{shelf[2]['id']}").get_json()
    assert _titles(client.get(emma["_links"]["by_author"]["href"])) == ["Emma", "Persuasion"]


@pytest.mark.parametrize("prefix", ["/books", "/booksApi"])
def test_lists_are_paginated_with_next_links_and_link_headers(client, shelf, prefix):
    seen: list[str] = []
    url: str | None = f"{prefix}?limit=4"
    pages = 0
    while url:
        r = client.get(url)
        seen += _titles(r)
        body = r.get_json()
        assert body["_links"]["self"]["href"].startswith(prefix)
        if "next" in body["_links"]:
            assert f'<{body["_links"]["next"]["href"]}>; rel="next"' in r.headers["Link"]
        url = body["_links"].get("next", {}).get("href")
        pages += 1
    assert pages == 2
    assert seen == [b["title"] for b in shelf]


@pytest.mark.parametrize(
    "query",
    ["limit=0", "limit=201", "limit=x", "cursor=forged", "author=" + "x" * 251, "q=" + "x" * 251],
)
def test_bad_list_parameters_are_422(client, query):
    assert_problem(client.get(f"/books?{query}"), 422)


# the tutorial's paths and query-string style


def test_tutorial_client_creates_with_query_string_and_lists_books(client, user):
    query = urlencode({"title": "Dune", "author": "Frank Herbert", "genre": ""})
    r = client.post(f"/booksApi?{query}", headers=user.headers)
    assert r.status_code == 201, r.get_json()
    book = r.get_json()
    assert _fields(book) == {"title": "Dune", "author": "Frank Herbert", "genre": None}
    assert r.headers["Location"] == f"/books/{book['id']}"

    r = client.get("/booksApi")
    assert r.status_code == 200
    body = r.get_json()
    assert list(body) == ["books", "_links"]
    assert body["books"] == [book]
    assert client.get("/books").get_json()["books"] == [book]
    assert client.get(f"/booksApi/{book['id']}").get_json() == book


def test_tutorial_client_updates_with_query_string_keeping_empty_fields(client, user):
    book = create_book(client, user)
    # The tutorial's client sends every field, empty when it has no new value.
    r = client.put(
        f"/booksApi/{book['id']}?title=Dune%20Messiah&author=&genre=", headers=user.headers
    )
    assert r.status_code == 200, r.get_json()
    assert _fields(r.get_json()) == {**DUNE, "title": "Dune Messiah"}
    r = client.put(f"/booksApi/{book['id']}?genre=Classic", headers=user.headers)
    assert _fields(r.get_json()) == {**DUNE, "title": "Dune Messiah", "genre": "Classic"}
    r = client.put(f"/booksApi/{book['id']}?author=F.%20Herbert", headers=user.headers)
    assert _fields(client.get(f"/books/{book['id']}").get_json()) == {
        "title": "Dune Messiah",
        "author": "F. Herbert",
        "genre": "Classic",
    }


def test_tutorial_update_with_only_empty_fields_is_422_and_blanks_nothing(client, user):
    book = create_book(client, user)
    for query in ("?title=&author=&genre=", "", "?title=%20"):
        r = client.put(f"/booksApi/{book['id']}{query}", headers=user.headers)
        assert_problem(r, 422)
    assert client.get(f"/books/{book['id']}").get_json() == book


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"title": "Dune"}, "author"),
        ({"title": "", "author": "Frank Herbert"}, "title"),
        ({"title": "x" * 251, "author": "A"}, "title"),
        ({"title": "T", "author": "A", "rating": "5"}, "rating"),
    ],
)
def test_tutorial_create_validates_the_query_string(client, user, query, field):
    r = client.post(f"/booksApi?{urlencode(query)}", headers=user.headers)
    problem = assert_problem(r, 422)
    assert field in [e["field"] for e in problem["errors"]]
    assert count_rows(client, Book) == 0


def test_tutorial_paths_also_take_bodies_and_a_body_wins_over_the_query(client, user):
    r = client.post("/booksApi?title=Ignored&author=Ignored", json=DUNE, headers=user.headers)
    assert r.status_code == 201 and _fields(r.get_json()) == DUNE
    book_id = r.get_json()["id"]
    r = client.put(f"/booksApi/{book_id}", data={"genre": "Epic"}, headers=user.headers)
    assert r.status_code == 200 and _fields(r.get_json()) == {**DUNE, "genre": "Epic"}


def test_tutorial_delete_removes_the_book_for_both_paths(client, user):
    book = create_book(client, user)
    assert client.delete(f"/booksApi/{book['id']}", headers=user.headers).status_code == 204
    assert_problem(client.get(f"/books/{book['id']}"), 404)
    assert_problem(client.get(f"/booksApi/{book['id']}"), 404)


def test_idempotency_key_on_tutorial_post_counts_the_query_string(client, user):
    headers = {**user.headers, "Idempotency-Key": "k-1"}
    first = client.post("/booksApi?" + urlencode(DUNE), headers=headers)
    again = client.post("/booksApi?" + urlencode(DUNE), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == first.get_json()
    assert count_rows(client, Book) == 1
    other = client.post("/booksApi?" + urlencode({**DUNE, "title": "Emma"}), headers=headers)
    assert_problem(other, 422)
    assert count_rows(client, Book) == 1


# caching, conditional writes, JSON-LD


@pytest.mark.parametrize("prefix", ["/books", "/booksApi"])
def test_get_has_an_etag_that_revalidates_until_the_book_changes(client, user, prefix):
    book = create_book(client, user)
    url = f"{prefix}/{book['id']}"
    etag = client.get(url).headers["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    client.put(url, json={"genre": "Epic"}, headers=user.headers)
    r = client.get(url, headers={"If-None-Match": etag})
    assert r.status_code == 200 and r.headers["ETag"] != etag


@pytest.mark.parametrize("prefix", ["/books", "/booksApi"])
def test_writes_honour_if_match(client, user, prefix):
    book = create_book(client, user)
    url = f"{prefix}/{book['id']}"
    stale = client.get(url).headers["ETag"]
    r = client.put(url, json={"genre": "Epic"}, headers={**user.headers, "If-Match": stale})
    assert r.status_code == 200
    current = r.headers["ETag"]
    assert current != stale

    r = client.put(url, json={"genre": "Lost"}, headers={**user.headers, "If-Match": stale})
    assert_problem(r, 412)
    assert_problem(client.delete(url, headers={**user.headers, "If-Match": stale}), 412)
    assert client.get(url).get_json()["genre"] == "Epic"

    r = client.delete(url, headers={**user.headers, "If-Match": current})
    assert r.status_code == 204


def test_json_ld_describes_a_book_and_a_list(client, user):
    book = create_book(client, user)
    ld = {"Accept": "application/ld+json"}
    r = client.get(f"/books/{book['id']}", headers=ld)
    assert r.status_code == 200 and r.mimetype == "application/ld+json"
    doc = r.get_json()
    assert doc["@id"] == f"/books/{book['id']}"
    assert doc["@type"] == "Book"
    assert doc["@context"]["@vocab"] == "https://schema.org/"
    assert doc["@context"]["title"] == "name"
    assert {k: doc[k] for k in DUNE} == DUNE
    assert r.headers["ETag"] != client.get(f"/books/{book['id']}").headers["ETag"]

    r = client.get("/books", headers=ld)
    assert r.mimetype == "application/ld+json"
    doc = r.get_json()
    assert doc["@type"] == "ItemList" and doc["@id"] == "/books"
    assert [b["@id"] for b in doc["books"]] == [f"/books/{book['id']}"]
    assert_problem(client.get("/books", headers={"Accept": "text/html"}), 406)


def test_wrong_method_is_405_with_allow(client):
    r = client.patch("/books/1")
    assert_problem(r, 405)
    assert {"GET", "PUT", "DELETE"} <= set(r.headers["Allow"].replace(" ", "").split(","))


# discovery


def test_books_are_in_the_home_document_openapi_and_docs(client):
    home = client.get("/").get_json()
    assert home["_links"]["books"]["href"] == "/books"
    spec = client.get("/openapi.json").get_json()
    paths = spec["paths"]
    assert set(paths["/books"]) == {"get", "post"}
    assert set(paths["/books/{book_id}"]) == {"get", "put", "delete"}
    assert set(paths["/booksApi"]) == {"get", "post"}
    assert set(paths["/booksApi/{book_id}"]) == {"get", "put", "delete"}
    assert paths["/books"]["post"]["security"] == [{"bearerAuth": []}]
    assert "security" not in paths["/books"]["get"]
    assert {"author", "genre", "q", "limit", "cursor"} <= {
        p["name"] for p in paths["/books"]["get"]["parameters"]
    }
    assert paths["/booksApi"]["post"]["requestBody"]["required"] is False
    description = paths["/booksApi"]["post"]["description"]
    assert "POST /booksApi?title=" in description and "\n " not in description
    assert "401" in paths["/booksApi/{book_id}"]["put"]["responses"]
    assert client.get("/docs").status_code == 200


def test_tutorial_paths_document_each_books_operation_under_its_own_operation_id(client):
    paths = client.get("/openapi.json").get_json()["paths"]
    for path in ("", "/{book_id}"):
        books, tutorial = paths["/books" + path], paths["/booksApi" + path]
        assert set(books) == set(tutorial)
        for method, op in books.items():
            tutorial_op = tutorial[method]
            assert tutorial_op["operationId"] == op["operationId"] + "_tutorial"
            assert (op["tags"], tutorial_op["tags"]) == (["Books"], ["Books (tutorial paths)"])
            assert "(tutorial path" in tutorial_op["summary"]
            assert "tutorial" not in op["summary"]
            assert set(tutorial_op["responses"]) == set(op["responses"])
            assert tutorial_op.get("security") == op.get("security")
            query = {p["name"] for p in op["parameters"] if p["in"] == "query"}
            tutorial_query = {p["name"] for p in tutorial_op["parameters"] if p["in"] == "query"}
            if "requestBody" in op:  # the tutorial's writes also take the fields as query
                body = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                assert body.rsplit("/", 1)[1] + "Fields" in str(tutorial_op["requestBody"])
                assert tutorial_query > query
            else:
                assert tutorial_query == query
