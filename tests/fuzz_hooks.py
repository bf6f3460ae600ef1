"""schemathesis hooks for storeapi, loaded by schemathesis.toml (`hooks`) and tests/test_fuzz.py.

`positive_data_acceptance` is configured to accept 422 from POSTs and list reads (see
SECURITY.md): a schema-valid request can still be semantically invalid there. This check takes
that allowance back to exactly the cases it exists for: a 422 on schema-valid data must name
only fields whose validity depends on server state that no schema can express.
"""

from __future__ import annotations

import json

import schemathesis
from schemathesis import Case, CheckContext, Response
from schemathesis.generation import GenerationMode

# field -> why a schema-valid value can be refused
STATE_DEPENDENT_FIELDS = {
    "cursor": "a well-formed cursor this server did not sign, or one for another list",
    "Idempotency-Key": "the key was used before with another request",
    "store_id": "no store with this id exists (POST /item)",
    "token": "a well-formed mail-link token that was never issued, is used or has expired",
}

# Tutorial-style writes take their fields from the body or the query string (or both). OpenAPI
# cannot say "required in the query unless the body has it", so a positive case may send the
# required fields in neither place.
EITHER_PLACE_FIELDS = {
    "POST /booksApi": {"title", "author"},
    "PUT /booksApi/{book_id}": {"body"},
    # Not a place but a content: bytes the schema calls binary that are no readable image.
    "PUT /item/{item_id}/image": {"body", "file"},
}


class UnexplainedRejection(AssertionError):
    """A 422 on schema-valid data that names a field the schema fully describes."""


@schemathesis.check
def state_dependent_422_only(ctx: CheckContext, response: Response, case: Case) -> bool | None:
    meta = case.meta
    if meta is None or meta.generation.mode != GenerationMode.POSITIVE:
        return None
    if response.status_code != 422:
        return None
    try:
        errors = json.loads(response.content)["errors"]
        fields = {e["field"] for e in errors}
    except (ValueError, KeyError, TypeError):
        raise UnexplainedRejection(f"422 without a field list: {response.text[:300]}") from None
    explained = set(STATE_DEPENDENT_FIELDS) | EITHER_PLACE_FIELDS.get(case.operation.label, set())
    unexplained = fields - explained
    if unexplained:
        raise UnexplainedRejection(
            f"Schema-valid data refused with 422 for {sorted(unexplained)}; only "
            f"{sorted(explained)} may depend on server state here. "
            f"Make the schema say what is accepted. Response: {response.text[:300]}"
        )
    return True
