"""The committed contract: docs/openapi.json, the text of the document /openapi.json serves.

`storeapi openapi --output docs/openapi.json` (or `make openapi`) writes it; a test fails
while the served document differs from the committed one, so every change to the contract is
a reviewed diff.
"""

from __future__ import annotations

import json
from pathlib import Path


def openapi_text() -> str:
    """The document, indented and in its own order (paths by tag), so a change reads as a diff."""
    import storeapi.app  # noqa: F401  (its blueprints register every operation)
    from storeapi.http.openapi import build_spec
    from storeapi.resources.root import VERSION

    return json.dumps(build_spec("storeapi", VERSION), indent=2, ensure_ascii=False) + "\n"


def is_current(path: str | Path) -> bool:
    try:
        return Path(path).read_text(encoding="utf-8") == openapi_text()
    except FileNotFoundError:
        return False


def write(path: str | Path) -> None:
    Path(path).write_text(openapi_text(), encoding="utf-8")
