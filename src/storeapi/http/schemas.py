"""Schema pieces shared by every resource: names, links, problems."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

# Patterns are read by three regex engines: JSON Schema's (ECMA-262) in clients and fuzzers,
# pydantic's (Rust) here, and Python's. Their `\s` differ (U+0085, U+FEFF, U+001C-001F), so
# whitespace is spelled out, and C0/C1 controls and the BOM are refused outright.
CONTROL = r"\x00-\x1f\x7f-\x9f\ufeff"
SPACES = r"\t\n\x0b\x0c\r \xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
NO_CONTROL_CHARS = rf"^[^{CONTROL}]*$"
BLANK = {"type": "string", "pattern": rf"^[{SPACES}]*$"}
_BLANK = re.compile(rf"[{SPACES}]*")
SPACE_CHARS = "".join(c for c in map(chr, range(0x3001)) if _BLANK.fullmatch(c))


def is_blank(value: str) -> bool:
    return _BLANK.fullmatch(value) is not None


def _trim(value: str) -> str:
    return value.strip(SPACE_CHARS)


def text(max_length: int, forbidden: str = CONTROL, blank: str = SPACES) -> Any:
    """A string with at least one character that is not `blank`, none of `forbidden`, and at
    most `max_length` characters as sent; surrounding whitespace is removed after the checks.
    The checks apply to the value as sent, so the JSON Schema says exactly what is accepted."""
    return Annotated[
        str,
        StringConstraints(
            strip_whitespace=False,
            min_length=1,
            max_length=max_length,
            pattern=rf"^[^{forbidden}]*[^{blank}{forbidden}][^{forbidden}]*$",
        ),
        AfterValidator(_trim),
    ]


Name = text(80)


MAX_ID = 2**31 - 1  # ids are 32-bit INTEGER on every backend
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
MAX_PRICE = Decimal("9999999999.99")  # NUMERIC(12, 2)

# An exact amount: a JSON number or a decimal string, at most 2 decimals. The JSON schema says
# exactly what the validator accepts, so generated clients and fuzzers agree with the server.
Price = Annotated[
    Decimal,
    Field(ge=0, le=MAX_PRICE, max_digits=12, decimal_places=2),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": 9999999999.99, "multipleOf": 0.01},
                {"type": "string", "pattern": r"^[0-9]{1,10}(\.[0-9]{1,2})?$"},
            ],
            "description": "Exact amount >= 0 with at most 2 decimals, e.g. 15.99",
        }
    ),
]
# Prices are written as JSON numbers with their exact decimals (15.99, 4.20).
PriceOut = Annotated[Decimal, WithJsonSchema({"type": "number", "minimum": 0})]


class Input(BaseModel):
    """A request body: unknown fields are refused, so no client sets `id` or `owner_id`."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Output(BaseModel):
    """A response, described for the OpenAPI document (rendering does not go through it)."""

    model_config = ConfigDict(populate_by_name=True)


class Link(Output):
    href: str


Links = Annotated[dict[str, Link | list[Link]], Field(alias="_links")]


class Timestamps(Output):
    created_at: dt.datetime
    updated_at: dt.datetime


class ListLinks(Output):
    links: Annotated[dict[str, Link], Field(alias="_links")]


class FieldError(Output):
    field: str
    message: str


class ProblemDoc(Output):
    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[FieldError] | None = None


JsonDict = dict[str, Any]


def one_change_required(*fields: str, null_changes: tuple[str, ...] = ()) -> dict[str, Any]:
    """JSON Schema for "at least one of `fields` is given" (null or blank counts as not given,
    except null for the fields in `null_changes`, where it clears the value).

    Written as "not (every field is absent, null or blank)", the same constraint as an anyOf
    of one alternative per field, but client generators keep one named model for it (an anyOf
    makes openapi-python-client emit `ItemUpdateType0`, `ItemUpdateType1`, ...)."""

    def absent(name: str) -> dict[str, Any]:
        return {"anyOf": [BLANK] if name in null_changes else [{"type": "null"}, BLANK]}

    return {"not": {"properties": {name: absent(name) for name in fields}}}


class BlankIsMissing(Input):
    """A body in which a field sent empty ("" or only spaces) counts as not sent: query-string
    and HTML-form clients send `genre=` when they have none, and an update keeps such a field."""

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler(core_schema)
        target = handler.resolve_ref_schema(schema)
        required = set(target.get("required", []))
        for name, prop in target.get("properties", {}).items():
            if name in required:
                continue
            if "anyOf" not in prop:
                keep = {"title", "description", "default"}
                prop["anyOf"] = [{k: prop.pop(k) for k in list(prop) if k not in keep}]
            prop["anyOf"].append(BLANK)  # a blank optional field counts as not given
        return schema

    @model_validator(mode="before")
    @classmethod
    def _blank_is_missing(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if not (isinstance(v, str) and is_blank(v))}
        return data
