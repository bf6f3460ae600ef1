"""A typed Python client generated from a live server's /openapi.json with
openapi-python-client, then used for one end-to-end scenario."""

from __future__ import annotations

import importlib
import io
import os
import pkgutil
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from flask.testing import FlaskClient

from tests import pictures
from tests.live import ROOT, live_server

BIN = Path(sys.executable).parent
GENERATOR = BIN / "openapi-python-client"
# openapi-python-client 0.29.1 with one template fixed (see the file's header)
TEMPLATES = ROOT / "clients" / "python" / "templates"
CONFIG = ROOT / "clients" / "python" / "config.yaml"  # the picture media types
PACKAGE = "storeapi_client"
READABLE_ID = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


@pytest.fixture
def server(database_url: str, client: FlaskClient) -> Iterator[str]:
    """A live server on the test database (emptied afterwards by the `client` fixture)."""
    with live_server(database_url) as base:
        yield base


def generate(base: str, dest: Path) -> str:
    """Generate the client package into dest/storeapi_client; return the generator's output."""
    result = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--url",
            f"{base}/openapi.json",
            "--meta",
            "none",
            "--output-path",
            str(dest / PACKAGE),
            "--custom-template-path",
            str(TEMPLATES),
            "--config",
            str(CONFIG),
        ],
        env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    return output


def import_client(dest: Path) -> ModuleType:
    """Import the generated package and every module in it (a broken one fails here)."""
    for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
        del sys.modules[name]
    sys.path.insert(0, str(dest))
    try:
        package = importlib.import_module(PACKAGE)
        for module in pkgutil.walk_packages(package.__path__, PACKAGE + "."):
            importlib.import_module(module.name)
        return package
    finally:
        sys.path.remove(str(dest))


def operation(tag: str, operation_id: str) -> ModuleType:
    """The generated module of one operation: `sync`, `sync_detailed`, and their async variants."""
    return importlib.import_module(f"{PACKAGE}.api.{tag}.{operation_id}")


def test_spec_names_every_schema_and_describes_every_error(server: str) -> None:
    spec = httpx.get(f"{server}/openapi.json").json()
    ids = [op["operationId"] for ops in spec["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids)), "operationIds must be unique"
    assert [i for i in ids if not READABLE_ID.match(i)] == []
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            where = f"{method.upper()} {path}"
            body = op.get("requestBody", {}).get("content", {})
            for media in body.values():
                assert "$ref" in media["schema"], f"{where}: anonymous request schema"
            for status, response in op["responses"].items():
                assert response.get("description"), f"{where} {status}: no description"
                content = response.get("content", {})
                if int(status) >= 400:
                    schema = content["application/problem+json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/ProblemDoc"}, where
                elif "application/json" in content:
                    assert "$ref" in content["application/json"]["schema"], where


def test_generated_client_runs_a_shopping_scenario(server: str, tmp_path: Path) -> None:
    output = generate(server, tmp_path)
    assert "warning" not in output.lower(), output
    client_pkg = import_client(tmp_path)
    models = importlib.import_module(f"{PACKAGE}.models")
    spec = httpx.get(f"{server}/openapi.json").json()
    generated = {p.stem for p in (tmp_path / PACKAGE / "api").glob("*/*.py")} - {"__init__"}
    assert generated == {op["operationId"] for ops in spec["paths"].values() for op in ops.values()}

    anon = client_pkg.Client(base_url=server, raise_on_unexpected_status=True)

    credentials = {"email": "typed@example.com", "password": "a long secret"}
    created = operation("users_and_tokens", "register").sync_detailed(
        client=anon, body=models.Registration(**credentials)
    )
    assert created.status_code == 201
    assert isinstance(created.parsed, models.UserPublic)
    assert created.parsed.email == "typed@example.com"
    assert created.headers["Location"] == f"/user/{created.parsed.id}"

    login = operation("users_and_tokens", "login")
    wrong = login.sync(
        client=anon, body=models.Credentials(email="typed@example.com", password="no")
    )
    assert isinstance(wrong, models.ProblemDoc) and wrong.status == 401
    pair = login.sync(client=anon, body=models.Credentials(**credentials))
    assert isinstance(pair, models.TokenPair) and pair.token_type == "Bearer"
    auth = client_pkg.AuthenticatedClient(
        base_url=server, token=pair.access_token, raise_on_unexpected_status=True
    )

    me = operation("users_and_tokens", "get_me").sync(client=auth)
    assert isinstance(me, models.Me) and me.email_verified is False
    reset = operation("users_and_tokens", "request_password_reset")
    accepted = reset.sync(client=anon, body=models.ResetRequest(email="typed@example.com"))
    assert isinstance(accepted, models.Accepted) and accepted.detail
    confirm = operation("users_and_tokens", "confirm_password_reset").sync(
        client=anon, body=models.ResetConfirmation(token="A" * 43, password="a longer secret")
    )
    assert isinstance(confirm, models.ProblemDoc) and confirm.status == 422
    assert [e.field for e in confirm.errors] == ["token"]
    forged = operation("users_and_tokens", "verify_email").sync(
        client=anon, body=models.Verification(token="A" * 43)
    )
    assert isinstance(forged, models.ProblemDoc) and forged.status == 422
    resent = operation("users_and_tokens", "resend_verification").sync(client=auth)
    assert isinstance(resent, models.Accepted)
    changed = operation("users_and_tokens", "change_password").sync_detailed(
        client=auth,
        body=models.PasswordChange(current_password="a long secret", new_password="a new secret"),
    )
    assert changed.status_code == 204  # the caller's own login stays

    create_store = operation("stores", "create_store")
    store = create_store.sync(client=auth, body=models.StoreCreate(name="Typed Lamps"))
    assert isinstance(store, models.StorePublic)
    assert store.owner_id == created.parsed.id
    taken = create_store.sync(client=auth, body=models.StoreCreate(name="typed lamps"))
    assert isinstance(taken, models.ProblemDoc) and taken.status == 409

    create_item = operation("items", "create_item")
    lamp = create_item.sync(
        client=auth, body=models.ItemCreate(name="Desk Lamp", price="49.90", store_id=store.id)
    )
    assert isinstance(lamp, models.ItemPublic)
    assert lamp.price == 49.9 and lamp.store_id == store.id and lamp.tags == []
    cheap = create_item.sync(
        client=auth, body=models.ItemCreate(name="Bulb", price=3.5, store_id=store.id)
    )
    assert isinstance(cheap, models.ItemPublic)
    invalid = create_item.sync(
        client=auth, body=models.ItemCreate(name="Free lunch", price=-1, store_id=store.id)
    )
    assert isinstance(invalid, models.ProblemDoc) and invalid.status == 422
    assert [e.field for e in invalid.errors] == ["price"]

    tag = operation("tags", "create_tag").sync(
        store.id, client=auth, body=models.TagCreate(name="lighting")
    )
    assert isinstance(tag, models.TagPublic)
    for item_id in (lamp.id, cheap.id):
        linked = operation("tags", "link_tag").sync(item_id, tag.id, client=auth)
        assert isinstance(linked, models.TagLink)
        assert [t.id for t in linked.item.tags] == [tag.id] and linked.tag.id == tag.id
    assert linked.item.store.name == store.name

    list_items = operation("items", "list_items")
    page = list_items.sync(
        client=anon, tag=["lighting"], store_id=store.id, sort=models.ListItemsSort.PRICE_DESC
    )
    assert isinstance(page, models.ItemList)
    assert [i.name for i in page.items] == ["Desk Lamp", "Bulb"]
    cheapest = models.ListItemsSort.PRICE
    first = list_items.sync(client=anon, store_id=store.id, sort=cheapest, limit=1)
    assert [i.name for i in first.items] == ["Bulb"]
    cursor = parse_qs(urlsplit(first.field_links["next"].href).query)["cursor"][0]
    second = list_items.sync(client=anon, store_id=store.id, sort=cheapest, cursor=cursor)
    assert [i.name for i in second.items] == ["Desk Lamp"]

    get_item = operation("items", "get_item")
    fetched = get_item.sync_detailed(lamp.id, client=anon)
    assert fetched.status_code == 200 and fetched.parsed.name == "Desk Lamp"
    again = get_item.sync_detailed(lamp.id, client=anon, if_none_match=fetched.headers["ETag"])
    assert again.status_code == 304
    missing = get_item.sync(999_999, client=anon)
    assert isinstance(missing, models.ProblemDoc) and missing.status == 404

    update_item = operation("items", "update_item")
    changed = update_item.sync(
        lamp.id,
        client=auth,
        body=models.ItemUpdate(price="44.00"),
        if_match=fetched.headers["ETag"],
    )
    assert isinstance(changed, models.ItemPublic) and changed.price == 44
    stale = update_item.sync(
        lamp.id, client=auth, body=models.ItemUpdate(price="1.00"), if_match=fetched.headers["ETag"]
    )
    assert isinstance(stale, models.ProblemDoc) and stale.status == 412

    types = importlib.import_module(f"{PACKAGE}.types")
    put_image = operation("items", "put_item_image")
    png = io.BytesIO(pictures.png_with_alpha((300, 200)))
    form = models.FileForm(file=types.File(payload=png, file_name="lamp.png"))
    pictured = put_image.sync_detailed(lamp.id, client=auth, body=form)
    assert pictured.status_code == 201 and pictured.parsed.image.width == 300
    raw = types.File(payload=io.BytesIO(pictures.webp((120, 80))), mime_type="image/webp")
    replaced = put_image.sync_detailed(lamp.id, client=auth, body=raw)
    assert replaced.status_code == 200 and replaced.parsed.image.height == 80
    thumbnail = replaced.parsed.image.thumbnail_url.removeprefix("/media/")
    served = operation("items", "media_file").sync_detailed(thumbnail, client=anon)
    assert served.status_code == 200 and served.content.startswith(b"RIFF")
    refused = put_image.sync(lamp.id, client=auth, body=types.File(payload=io.BytesIO(b"<svg/>")))
    assert isinstance(refused, models.ProblemDoc) and refused.status == 415
    removed = operation("items", "delete_item_image").sync_detailed(lamp.id, client=auth)
    assert removed.status_code == 204

    listed = operation("frameworks", "list_frameworks").sync(client=anon)
    assert {"Flask", "Django", "Bottle", "Tornado"} <= {f.name for f in listed.frameworks}

    book = operation("books", "post_book").sync(
        client=auth, body=models.BookCreate(title="Light and Shade", author="Ann Example")
    )
    assert isinstance(book, models.BookPublic)
    read = operation("books", "get_book").sync(book.id, client=anon)
    assert (read.title, read.author, read.genre) == ("Light and Shade", "Ann Example", None)

    logout = operation("users_and_tokens", "logout")
    assert logout.sync_detailed(client=auth).status_code == 204
    revoked = create_store.sync(client=auth, body=models.StoreCreate(name="Too late"))
    assert isinstance(revoked, models.ProblemDoc) and revoked.status == 401

    again = login.sync(
        client=anon, body=models.Credentials(email="typed@example.com", password="a new secret")
    )
    assert isinstance(again, models.TokenPair)
    auth = client_pkg.AuthenticatedClient(
        base_url=server, token=again.access_token, raise_on_unexpected_status=True
    )
    assert operation("users_and_tokens", "delete_me").sync_detailed(client=auth).status_code == 204
    gone = operation("users_and_tokens", "get_me").sync(client=auth)
    assert isinstance(gone, models.ProblemDoc) and gone.status == 401
