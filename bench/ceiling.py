"""The ceiling: a minimal Flask route returning a constant JSON object with `jsonify`.

Served by `storeapi serve --app bench.ceiling:app` (the same server, workers and threads as the
API), it measures what the server and Flask cost before the API does anything.
"""

from flask import Flask, Response, jsonify

app = Flask(__name__)


@app.get("/")
def ceiling() -> Response:
    return jsonify({"hello": "world"})
