"""`operation`: one declarative decorator per endpoint.

It registers the route, checks the caller, parses and validates the body and query with
pydantic, commits the request's unit of work, handles `Idempotency-Key` on POST, and records
everything the OpenAPI document says about the endpoint. Handlers only do the domain action.
"""

from __future__ import annotations

import functools
import inspect
import json
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask import Blueprint, Response, request
from pydantic import BaseModel, ValidationError

from storeapi import db
from storeapi.auth.guards import Guard
from storeapi.http.idempotency import idempotent
from storeapi.http.problems import Problem
from storeapi.http.representations import Deferred, negotiate, rendered
from storeapi.http.schemas import JsonNumber

FORM = "application/x-www-form-urlencoded"


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


OPERATIONS: list[Operation] = []


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
    guard: Guard | None = None,
    errors: dict[int, str] | None = None,
    ld: bool = False,
    fields_in_query: bool = False,
    idempotent_key: bool = True,
) -> Callable[[Callable[..., Response]], Callable[..., Response]]:
    def decorate(handler: Callable[..., Response]) -> Callable[..., Response]:
        doc = inspect.cleandoc(handler.__doc__ or handler.__name__)
        summary, _, description = doc.partition("\n")
        op = Operation(
            rule=rule,
            method=method,
            endpoint=f"{bp.name}.{handler.__name__}",
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
        )
        OPERATIONS.append(op)

        @functools.wraps(handler)
        def view(**path: Any) -> Response:
            negotiate(ld)
            if guard is not None:
                guard.check()
            kwargs: dict[str, Any] = {}
            if query is not None:
                kwargs["query"] = parse_query(query, op.list_fields)
            if body is not None:
                kwargs["body"] = parse_body(body, fields_in_query)

            def run() -> Response | Deferred:
                return handler(**path, **kwargs)

            replayable = method == "POST" and idempotent_key
            key = request.environ.get("HTTP_IDEMPOTENCY_KEY") if replayable else None
            if key is not None:
                return db.retrying_conflicts(lambda: idempotent(key, run))

            def run_and_commit() -> Response:
                result = run()
                db.commit()
                return rendered(result)

            return db.retrying_conflicts(run_and_commit)

        bp.add_url_rule(rule, endpoint=handler.__name__, view_func=view, methods=[method])
        return view

    return decorate
