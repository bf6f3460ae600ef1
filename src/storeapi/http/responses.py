"""The response class of the API: Flask's, handed to the server as a list."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import flask


class Response(flask.Response):
    """Flask's response, whose body goes to the WSGI server as a list when it is in memory.

    Werkzeug wraps every body in a generator inside a `ClosingIterator`; granian writes a list
    in one call (`response_bytes`), but drives any other iterable chunk by chunk
    (`response_iter`), a hand-off between its threads and Python for each response. Our bodies
    are bytes in memory (orjson's), so the list is the same body, sent in one piece. Streamed
    bodies (files) and responses with close callbacks take werkzeug's path unchanged.
    """

    def get_app_iter(self, environ: dict[str, Any]) -> Any:
        if not self.is_sequence or self._on_close:
            return super().get_app_iter(environ)
        status = self.status_code
        if environ["REQUEST_METHOD"] == "HEAD" or 100 <= status < 200 or status in (204, 304):
            return []  # as werkzeug: no body for these
        return list(self.iter_encoded())


class EmptyResponse(Response):
    """A response without a body, and so without a media type (a 304, a 204)."""

    default_mimetype = None


def add_headers(response: flask.Response, pairs: Iterable[tuple[str, str]]) -> None:
    """Append headers whose values this code made (constants, ETags, checked request ids).

    As `headers.extend`, without werkzeug's check of each value for line breaks, which these
    cannot hold; every response gets several, so the check shows (bench/README.md)."""
    response.headers._list.extend(pairs)  # werkzeug's Headers keep their pairs in `_list`
