"""The real app plus a `/slow` route, for testing graceful shutdown of `storeapi serve`.

Served with `storeapi serve --app tests.slow_app:app` (a hidden option), so the very same
server settings apply. The product has no slow endpoint; only this module adds one.
"""

from __future__ import annotations

import time

from flask import request

from storeapi.app import create_app

app = create_app()


@app.get("/slow")
def slow() -> dict:
    seconds = min(float(request.args.get("seconds", "2")), 10.0)
    time.sleep(seconds)
    return {"slept": seconds}
