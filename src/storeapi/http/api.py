"""`operation`: one declarative decorator per endpoint.

It registers the route, checks the caller, parses and validates the body and query with
pydantic, commits the request's unit of work, handles `Idempotency-Key` on POST, and records
everything the OpenAPI document says about the endpoint. Handlers only do the domain action,
and return a response, or `after_commit(render, ...)` for one to render after the commit.
"""

from __future__ import annotations

import functools
import inspect
import json
import re
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ParamSpec

from flask import Blueprint, Response, request
from pydantic import BaseModel, ValidationError
from sqlalchemy import exc as sa_exc

from storeapi import db
from storeapi.auth.guards import Guard
from storeapi.http.idempotency import idempotent
from storeapi.http.problems import Problem
from storeapi.http.representations import negotiate
from storeapi.http.schemas import JsonNumber

FORM = "application/x-www-form-urlencoded"
P = ParamSpec("P")


class AfterCommit:
    """A handler's answer to render once its write is committed.

    A write renders after the commit so that it does not hold SQLite's write lock meanwhile
    (other writers wait for it). With an Idempotency-Key it renders before the commit
    instead: the stored answer commits with the object it describes.
    """

    __slots__ = ("render",)

    def __init__(self, render: Callable[[], Response]) -> None:
        self.render = render


def after_commit(render: Callable[P, Response], *args: P.args, **kwargs: P.kwargs) -> AfterCommit:
    """`return after_commit(render, item, 201, ...)`: `render(item, 201, ...)`, after the commit."""
    return AfterCommit(functools.partial(render, *args, **kwargs))


Handler = Callable[..., Response | AfterCommit]


@dataclass(frozen=True)
class Upload:
    """A body that is a file rather than fields: sent raw (as one of `media_types`) or as the
    `form_field` of a multipart form. The handler reads it; the OpenAPI document says so."""

    media_types: tuple[str, ...]
    form_field: str
    description: str


def _response(answer: Response | AfterCommit) -> Response:
    """The handler's answer as a response: one left for after the commit renders now."""
    return answer.render() if isinstance(answer, AfterCommit) else answer


@dataclass
class Operation:
    rule: str
    method: str
    endpoint: str
    tag: str
    summary: str
    description: str
    body: type[BaseModel] | None
    query: type[BaseModel] | None
    response: type[BaseModel] | None
    status: int
    guard: Guard | None
    errors: dict[int, str]
    ld: bool
    fields_in_query: bool
    list_fields: frozenset[str] = field(default_factory=frozenset)
    idempotent_key: bool = True
    other_statuses: dict[int, str] = field(default_factory=dict)  # success, with the same body
    upload: Upload | None = None

    @property
    def xml_root(self) -> str | None:
        """The name of its XML document: a documented response is also offered as XML."""
        return None if self.response is None else xml_name(self.response)


OPERATIONS: list[Operation] = []


def xml_name(model: type[BaseModel]) -> str:
    """A response model's XML element name: `ItemPublic` is `item`, `TokenPair` `token_pair`."""
    name = model.__name__.removesuffix("Public")
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _non_finite(name: str) -> Decimal:
    """`NaN`/`Infinity` parse (as Python's json does), and validation refuses them (422)."""
    return Decimal(name)


def _integer(written: str) -> int | JsonNumber:
    """An integer, except `-0`: its text is not its value's, so it stays a JsonNumber."""
    return JsonNumber(written) if written == "-0" else int(written)


def _problems(exc: ValidationError, prefix: str = "") -> Problem:
    errors = [
        {
            "field": prefix + (".".join(str(p) for p in e["loc"]) or "body"),
            "message": e["msg"],
        }
        for e in exc.errors(include_url=False)
    ]
    return Problem(422, "The request is not valid", type="validation-error", errors=errors)


def _read_body() -> bytes:
    """The body, or 413 when it is over MAX_BODY_BYTES.

    Werkzeug refuses an oversized Content-Length itself, but a streamed (chunked) body is
    only cut off at the limit; reaching the limit means there was more, so refuse it too.
    """
    raw = request.get_data(cache=True)
    limit = request.max_content_length
    if request.content_length is None and limit is not None and len(raw) >= limit:
        raise Problem(413, "The request body is larger than this server accepts")
    return raw


def _raw_body(fields_in_query: bool) -> dict[str, Any]:
    raw = _read_body()
    if not raw:
        if fields_in_query:
            return request.args.to_dict()
        return {}
    mimetype = request.mimetype
    if mimetype == "application/json" or mimetype.endswith("+json"):
        try:
            data = json.loads(
                raw, parse_float=JsonNumber, parse_int=_integer, parse_constant=_non_finite
            )
        except (ValueError, RecursionError):
            raise Problem(400, "The body is not valid JSON", type="malformed-json") from None
    elif mimetype == FORM:
        data = request.form.to_dict()
    elif mimetype.endswith(("/xml", "+xml")):
        raise Problem(415, f"Send the body as application/json or {FORM}: XML is for responses")
    else:
        raise Problem(415, f"Send the body as application/json or {FORM}")
    if not isinstance(data, dict):
        raise Problem(
            422,
            "The body must be a JSON object",
            type="validation-error",
            errors=[{"field": "body", "message": "must be an object"}],
        )
    if fields_in_query:  # fields may come from both; the body's win, and all are validated
        return {**request.args.to_dict(), **data}
    return data


def parse_body(model: type[BaseModel], fields_in_query: bool = False) -> BaseModel:
    data = _raw_body(fields_in_query)
    try:
        if fields_in_query and request.args and request.get_data(cache=True):
            model.model_validate({**data, **request.args.to_dict()})  # query fields valid too
        return model.model_validate(data)
    except ValidationError as exc:
        raise _problems(exc) from None


def parse_query(model: type[BaseModel], list_fields: frozenset[str]) -> BaseModel:
    args = request.args
    data = {k: (args.getlist(k) if k in list_fields else args[k]) for k in args}
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise _problems(exc) from None


def _list_fields(model: type[BaseModel] | None) -> frozenset[str]:
    if model is None:
        return frozenset()
    return frozenset(
        name
        for name, info in model.model_fields.items()
        if typing.get_origin(info.annotation) is list
        or list in typing.get_args(info.annotation)
        or any(typing.get_origin(a) is list for a in typing.get_args(info.annotation))
    )


def operation(
    bp: Blueprint,
    rule: str,
    method: str = "GET",
    *,
    tag: str,
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    response: type[BaseModel] | None = None,
    status: int = 200,
    other_statuses: dict[int, str] | None = None,
    guard: Guard | None = None,
    errors: dict[int, str] | None = None,
    ld: bool = False,
    fields_in_query: bool = False,
    idempotent_key: bool = True,
    name: str | None = None,
    doc: str | None = None,
    upload: Upload | None = None,
) -> Callable[[Handler], Callable[..., Response]]:
    """Register `handler` at `rule`. Its name is the operationId and its docstring the summary
    (first line) and description; `name` and `doc` replace them where one handler serves
    two rules. `upload` documents a file body the handler reads itself; `other_statuses`
    documents other success statuses with the same body as `status`."""

    def decorate(handler: Handler) -> Callable[..., Response]:
        endpoint = name or handler.__name__
        text = inspect.cleandoc(doc or handler.__doc__ or endpoint)
        summary, _, description = text.partition("\n")
        op = Operation(
            rule=rule,
            method=method,
            endpoint=f"{bp.name}.{endpoint}",
            tag=tag,
            summary=summary.strip(),
            description=description.strip(),
            body=body,
            query=query,
            response=response,
            status=status,
            guard=guard,
            errors=errors or {},
            ld=ld,
            fields_in_query=fields_in_query,
            list_fields=_list_fields(query),
            idempotent_key=idempotent_key,
            other_statuses=other_statuses or {},
            upload=upload,
        )
        OPERATIONS.append(op)
        root = op.xml_root

        @functools.wraps(handler)
        def view(**path: Any) -> Response:
            try:
                negotiate(ld, root)
                if guard is not None:
                    guard.check()
                kwargs: dict[str, Any] = {}
                if query is not None:
                    kwargs["query"] = parse_query(query, op.list_fields)
                if body is not None:
                    kwargs["body"] = parse_body(body, fields_in_query)

                def run_and_commit() -> Response:
                    answer = handler(**path, **kwargs)
                    db.commit()
                    return _response(answer)

                replayable = method == "POST" and idempotent_key
                key = request.environ.get("HTTP_IDEMPOTENCY_KEY") if replayable else None
                if key is None:
                    return db.retrying_conflicts(run_and_commit)

                def run_storing_the_answer() -> Response:  # which commits with the write
                    return idempotent(key, lambda: _response(handler(**path, **kwargs)))

                return db.retrying_conflicts(run_storing_the_answer)
            except sa_exc.DBAPIError as exc:
                # A read replica failed this read (db/replicas.py): once more, on the primary.
                if not db.read_on_primary_after(exc):
                    raise
            return view(**path)

        bp.add_url_rule(rule, endpoint=endpoint, view_func=view, methods=[method])
        return view

    return decorate
