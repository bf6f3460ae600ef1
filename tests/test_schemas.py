"""Every field with a pattern in the served /openapi.json accepts exactly what the document says.

For each such field of each request body and query, generated strings (ASCII, Unicode digits and
look-alikes, spaces of every kind, format and invisible characters, characters that NFC makes
longer) go through the field's validator; each is accepted iff the document's schema accepts it:
`re.fullmatch(pattern, s)` and the length bounds, plus, where the schema says `x-normalization:
NFC`, `maxLength` for the stored (trimmed, NFC) form too. JSON numbers for prices are held to the
price pattern as written.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from storeapi.http.api import OPERATIONS, parse_body
from storeapi.http.problems import Problem
from storeapi.http.schemas import PRICE_PATTERN, SPACE_CHARS
from storeapi.resources.items import ItemCreate
from tests.security.test_probe_input import INVISIBLE_NAMES, PROBED_PRICES

_PARAM = re.compile(r"<(?:\w+:)?(\w+)>")

# Characters a validator could confuse with what a pattern allows, or that a pattern must refuse.
TRICKY = (
    "0123456789.eE+-_ "
    "١٢٣٤٥"  # Arabic-Indic digits
    "۱۲۳"  # extended Arabic-Indic digits
    "\uff11\uff12\uff13\uff0e"  # fullwidth digits and full stop
    "४५"  # Devanagari digits
    "\u066b\u00b7\u3002"  # decimal-separator look-alikes
    "\t\n\r\x0b\x0c\xa0\u1680\u2000\u2003\u200a\u2028\u2029\u202f\u205f\u3000\x85\x1c"
    "\x00\x07\x1b\x7f\x9f\ufeff"  # controls and the BOM
    "\u00ad\u200b\u200c\u200d\u200e\u202e\u2060\u2066\U000e0041\U0001d173"  # format (Cf)
    "\u034f\u115f\u3164\ufe0f\u2800\U000e0100"  # shows nothing
    "\u0301\u0308"  # combining marks
    "\u0958\ufb2c\u1e9e\u212b\u2126"  # longer, or other, in NFC
    "/\\@aZéß"
)


def _alternatives(schema: dict[str, Any]) -> list[dict[str, Any]]:
    if "anyOf" in schema:
        return [alt for sub in schema["anyOf"] for alt in _alternatives(sub)]
    return [schema]


def _schema_accepts(schema: dict[str, Any], value: str) -> bool:
    """What the document says of a string sent for this field."""
    for alt in _alternatives(schema):
        if alt.get("type") != "string":
            continue
        if not alt.get("minLength", 0) <= len(value) <= alt.get("maxLength", len(value)):
            continue
        if "pattern" in alt and not re.fullmatch(alt["pattern"], value):
            continue
        stored = unicodedata.normalize("NFC", value.strip(SPACE_CHARS))
        if alt.get("x-normalization") == "NFC" and len(stored) > alt["maxLength"]:
            continue
        return True
    return False


def _has_pattern(schema: dict[str, Any]) -> bool:
    return any("pattern" in alt for alt in _alternatives(schema))


def _validator_accepts(model: type[BaseModel], field: str, value: Any) -> bool:
    """Whether `model` finds nothing wrong with `field` (other fields may be missing)."""
    try:
        model.model_validate({field: value})
    except ValidationError as exc:
        return not any(e["loc"] and e["loc"][0] == field for e in exc.errors())
    return True


def _patterned_fields(doc: dict[str, Any]) -> list[tuple[str, type[BaseModel], str, dict, bool]]:
    """(label, model, field, field schema, sent as a list) for every patterned field."""
    fields = {}
    for op in OPERATIONS:
        path = _PARAM.sub(r"{\1}", op.rule)
        if op.body is not None:
            props = doc["components"]["schemas"][op.body.__name__]["properties"]
            for name, schema in props.items():
                fields[(op.body, name)] = (schema, False)
        if op.query is not None:
            for param in doc["paths"][path][op.method.lower()].get("parameters", []):
                if param["in"] == "query":
                    schema = param["schema"]
                    listed = schema.get("type") == "array"
                    fields[(op.query, param["name"])] = (
                        schema["items"] if listed else schema,
                        listed,
                    )
    return [
        (f"{model.__name__}.{name}", model, name, schema, listed)
        for (model, name), (schema, listed) in fields.items()
        if _has_pattern(schema)
    ]


@pytest.fixture(scope="module")
def document(app) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return app.test_client().get("/openapi.json").get_json()


def test_every_patterned_field_is_covered(document):
    labels = {label for label, *_ in _patterned_fields(document)}
    assert {
        "StoreCreate.name",
        "TagCreate.name",
        "ItemCreate.name",
        "ItemCreate.price",
        "ItemUpdate.price",
        "ItemSearch.min_price",
        "ItemSearch.max_price",
        "ItemSearch.tag",
        "ItemSearch.q",
        "BookCreate.title",
        "BookSearch.author",
        "FrameworkCreate.name",
        "FrameworkUpdate.parent",
        "Registration.email",
        "Credentials.email",
        "PageQuery.cursor",
    } <= labels


def _strings(schema: dict[str, Any]) -> st.SearchStrategy[str]:
    longest = max(alt.get("maxLength", 20) for alt in _alternatives(schema))
    matching = st.one_of(
        *(
            st.from_regex(alt["pattern"], fullmatch=True)
            for alt in _alternatives(schema)
            if "pattern" in alt
        )
    )
    tricky = st.sampled_from(TRICKY)
    near_misses = st.tuples(matching, tricky, st.integers(0, 300)).map(
        lambda t: t[0][: t[2]] + t[1] + t[0][t[2] :]
    )
    return st.one_of(
        matching,
        near_misses,
        st.text(alphabet=tricky, max_size=12),
        st.text(alphabet=tricky, min_size=longest - 2, max_size=longest + 2),
        st.text(max_size=12),
    )


@pytest.fixture(scope="module")
def fields(document) -> list[tuple]:  # type: ignore[no-untyped-def]
    """The patterned fields, each with the strategy for its strings (built once)."""
    return [(*f, _strings(f[3])) for f in _patterned_fields(document)]


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_each_validator_accepts_exactly_what_its_schema_says(fields, data):
    for label, model, field, schema, listed, strings in fields:
        value = data.draw(strings, label=label)
        sent = [value] if listed else value
        assert _validator_accepts(model, field, sent) == _schema_accepts(schema, value), (
            label,
            value,
        )


# What the probe sent, and more: every patterned field judges each as its schema does.
PROBES = [
    *PROBED_PRICES,
    "0001.5",
    *INVISIBLE_NAMES,
    "Cafe\u0301",
    "\u0958" * 30,  # 30 characters sent, 60 once in NFC
    ".",
    "..",
    "a/b",
    "x" * 80,
    "x" * 81,
    "owner@example.com",
    " owner@example.com ",
    "ow\u200bner@example.com",
]


@pytest.mark.parametrize("value", PROBES)
def test_the_probes_values_are_judged_by_the_schema(document, value):
    for label, model, field, schema, listed in _patterned_fields(document):
        sent = [value] if listed else value
        assert _validator_accepts(model, field, sent) == _schema_accepts(schema, value), label


JSON_NUMBER = r"-?(0|[1-9][0-9]{0,11})(\.[0-9]{1,3})?([eE][+-]?[0-9]{1,2})?"


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(number=st.from_regex(JSON_NUMBER, fullmatch=True))
def test_a_json_number_price_is_held_to_the_pattern_as_written(app, number):
    raw = f'{{"name": "Chair", "price": {number}, "store_id": 1}}'
    with app.test_request_context(
        "/item", method="POST", data=raw, content_type="application/json"
    ):
        try:
            body = parse_body(ItemCreate)
        except Problem as problem:
            assert problem.status == 422
            accepted = False
        else:
            accepted = True
            assert str(body.price) == number  # the exact amount, as written
    assert accepted == bool(re.fullmatch(PRICE_PATTERN, number)), number
