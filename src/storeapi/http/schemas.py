"""Schema pieces shared by every resource: names, links, problems."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

NO_CONTROL_CHARS = r"^[^\x00-\x1f\x7f]*$"

Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=80, pattern=NO_CONTROL_CHARS),
]


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
