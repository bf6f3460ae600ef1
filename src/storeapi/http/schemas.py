"""Schema pieces shared by every resource: names, links, problems."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

NO_CONTROL_CHARS = r"^[^\x00-\x1f\x7f]*$"

Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=80, pattern=NO_CONTROL_CHARS),
]


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


class BlankIsMissing(Input):
    """A body in which a field sent empty ("" or only spaces) counts as not sent: query-string
    and HTML-form clients send `genre=` when they have none, and an update keeps such a field."""

    @model_validator(mode="before")
    @classmethod
    def _blank_is_missing(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if not (isinstance(v, str) and not v.strip())}
        return data
