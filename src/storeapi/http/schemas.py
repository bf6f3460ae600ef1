"""Schema pieces shared by every resource: names, prices, links, problems."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

from storeapi.names import nfc


def _char_class(code_points: Iterable[int]) -> str:
    """Regex character-class ranges for these code points: `\\uXXXX` escapes in the BMP, which
    the three regex engines (see CONTROL) read alike, and the characters themselves above it
    (`\\U...` is Python's and Rust's only; ECMA-262 reads them with the `u` flag)."""

    def one(c: int) -> str:
        return f"\\u{c:04x}" if c <= 0xFFFF else chr(c)

    points = sorted(set(code_points))
    out, start = [], 0
    for i, c in enumerate(points):
        if i + 1 == len(points) or points[i + 1] != c + 1:
            first = points[start]
            out.append(one(first) if first == c else f"{one(first)}-{one(c)}")
            start = i + 1
    return "".join(out)


# Patterns are read by three regex engines: JSON Schema's (ECMA-262) in clients and fuzzers,
# pydantic's (Rust) here, and Python's. Their `\s` differ (U+0085, U+FEFF, U+001C-001F), so
# whitespace is spelled out, and C0/C1 controls and the BOM are refused outright.
CONTROL = r"\x00-\x1f\x7f-\x9f\ufeff"
SPACES = r"\t\n\x0b\x0c\r \xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# Format characters (Unicode category Cf: bidi overrides and isolates, zero-width spaces and
# joiners, the soft hyphen, tag characters) change how text looks without being seen, so a
# name may not hold any. Taken from the same Unicode tables as the NFC normalisation below.
# Scanned in the planes that hold any (0, 1 and 14): the others are ideographs, private use
# or unassigned, and scanning them too would slow every process start down.
FORMAT = _char_class(
    c
    for c in itertools.chain(range(0x20000), range(0xE0000, 0xF0000))
    if unicodedata.category(chr(c)) == "Cf"
)
# Not format characters, yet shown as nothing (Default_Ignorable_Code_Point letters and marks:
# Hangul fillers, variation selectors, the combining grapheme joiner; and the braille blank):
# allowed inside a name, but a name made only of these and spaces is invisible.
SHOWS_NOTHING = _char_class(
    c
    for first, last in [
        (0x034F, 0x034F),
        (0x115F, 0x1160),
        (0x17B4, 0x17B5),
        (0x180B, 0x180F),
        (0x2800, 0x2800),
        (0x3164, 0x3164),
        (0xFE00, 0xFE0F),
        (0xFFA0, 0xFFA0),
        (0xE0000, 0xE0FFF),
    ]
    for c in range(first, last + 1)
)
NO_CONTROL_CHARS = rf"^[^{CONTROL}]*$"
BLANK = {"type": "string", "pattern": rf"^[{SPACES}]*$"}
_BLANK = re.compile(rf"[{SPACES}]*")
SPACE_CHARS = "".join(c for c in map(chr, range(0x3001)) if _BLANK.fullmatch(c))


def is_blank(value: str) -> bool:
    return _BLANK.fullmatch(value) is not None


def in_nfc(value: str | None) -> str | None:
    """A filter's text in NFC, the form names are stored in, so that it finds them."""
    return None if value is None else nfc(value)


class StoredInNFC:
    """Says in the JSON Schema what its pattern cannot: the value is stored in Unicode normal
    form C (`x-normalization`), and `maxLength` holds for that form too."""

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {**handler(core_schema), "x-normalization": "NFC"}


def text(max_length: int, also_forbidden: str = "", also_blank: str = "") -> Any:
    """A string with at least one visible character (not a space, not `also_blank`), no
    control or format character nor any of `also_forbidden`, at most `max_length` characters
    as sent. The pattern applies to the value as sent, so the JSON Schema says exactly what is
    accepted; then surrounding whitespace is removed and the rest normalised to NFC (which may
    not make it longer than `max_length`: a few characters decompose into two or three)."""
    forbidden = CONTROL + FORMAT + also_forbidden
    blank = SPACES + SHOWS_NOTHING + also_blank

    def normalized(value: str) -> str:
        value = nfc(value.strip(SPACE_CHARS))
        if len(value) > max_length:
            raise PydanticCustomError(
                "string_too_long",
                "String should have at most {max_length} characters in Unicode normal form",
                {"max_length": max_length},
            )
        return value

    return Annotated[
        str,
        StringConstraints(
            strip_whitespace=False,
            min_length=1,
            max_length=max_length,
            pattern=rf"^[^{forbidden}]*[^{blank}{forbidden}][^{forbidden}]*$",
        ),
        AfterValidator(normalized),
        StoredInNFC(),
    ]


Name = text(80)


MAX_ID = 2**31 - 1  # ids are 32-bit INTEGER on every backend
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
PRICE_PATTERN = r"^[0-9]{1,10}(\.[0-9]{1,2})?$"  # fits NUMERIC(12, 2)
PRICE_FORMAT = "Price should be 1 to 10 digits, then at most 2 decimals, like 15 or 15.99"
_PRICE = re.compile(PRICE_PATTERN)


class JsonNumber(Decimal):
    """A JSON number with a fraction, an exponent or a sign on zero, and the text it was
    written as: `1e2` and `100`, or `1.5e0` and `1.5`, are equal Decimals but not the same
    text, and a price is held to its pattern as written (see `_price_as_written`)."""

    text: str

    def __new__(cls, text: str) -> JsonNumber:
        number = super().__new__(cls, text)
        number.text = text
        return number


def _price_as_written(value: Any) -> Any:
    """A price sent as text, or as a JSON number, is accepted exactly when what was written
    matches PRICE_PATTERN (ASCII digits, no sign, no exponent, at most 2 decimals)."""
    if isinstance(value, JsonNumber):
        written = value.text
    elif isinstance(value, Decimal):  # from Python (the admin panel's form): its plain digits
        written = format(value, "f")
    elif isinstance(value, int | str) and not isinstance(value, bool):
        written = str(value)
    else:
        return value  # not a price at all: pydantic says what was expected
    if not _PRICE.fullmatch(written):
        raise PydanticCustomError("price_format", PRICE_FORMAT)
    return Decimal(written)


# An exact amount, as a JSON number or a decimal string, by one rule: what was written matches
# PRICE_PATTERN. The JSON Schema says so for strings; for numbers it says what JSON Schema can.
Price = Annotated[
    Decimal,
    BeforeValidator(_price_as_written),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": 9999999999.99, "multipleOf": 0.01},
                {"type": "string", "pattern": PRICE_PATTERN},
            ],
            "description": "Exact amount >= 0 with at most 2 decimals, e.g. 15.99. A JSON "
            "number is held to the same pattern as written: 15, 15.9 and 15.99 are accepted; "
            "an exponent (1e2), a sign (-0) or a third decimal (1.500) is refused",
        }
    ),
]
# Prices are written as JSON numbers with their exact decimals (15.99, 4.20).
PriceOut = Annotated[Decimal, WithJsonSchema({"type": "number", "minimum": 0})]


class Input(BaseModel):
    """A request body: unknown fields are refused, so no client sets `id` or `owner_id`.

    Its validator is built on first use (`defer_build`): a worker then holds only those of
    the endpoints it has served, not all of them from start-up (bench/README.md)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


class Output(BaseModel):
    """A response, described for the OpenAPI document (rendering does not go through it)."""

    model_config = ConfigDict(populate_by_name=True, defer_build=True)


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
