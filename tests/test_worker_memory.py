"""What a server worker leaves unloaded until a request needs it (bench/README.md, "Memory on
PostgreSQL"): each check runs in a fresh interpreter, since this one has loaded everything."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(script: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_request_validators_and_elementtree_are_made_on_first_use(database_url):
    script = f"""
import sys
from storeapi.app import create_app
from storeapi.resources.books import BookCreate
from storeapi.resources.items import ItemPublic
from storeapi.resources.users import Credentials
from tests.conftest import test_settings
app = create_app(test_settings({database_url!r}))
client = app.test_client()
def built():
    return [m.__pydantic_complete__ for m in (Credentials, BookCreate, ItemPublic)]
print(built(), "xml.etree.ElementTree" in sys.modules)
print(client.post("/login", json={{"email": "x"}}).status_code, built())
xml = client.get("/store", headers={{"Accept": "application/xml"}})
print(xml.status_code, xml.mimetype, "xml.etree.ElementTree" in sys.modules)
app.extensions["engine"].dispose()
"""
    assert run(script) == [
        "[False, False, False] False",
        # the login's body is validated (422), the other bodies' validators are still not made
        "422 [True, False, False]",
        "200 application/xml True",
    ]
