"""The OpenAPI 3.1 document, built once from the operations' declarations."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue, models_json_schema
from pydantic_core import core_schema

from storeapi.http.api import OPERATIONS, Operation, Upload
from storeapi.http.negotiation import XML
from storeapi.http.openapi_routes import (
    COMMON_ERRORS,
    FILE_ROUTES,
    HTML_PAGES,
    file_operation,
    header_doc,
    page_operation,
    problem_doc,
)
from storeapi.http.openapi_xml import document_xml
from storeapi.http.schemas import MAX_ID, ProblemDoc

DESCRIPTION = (
    "Stores, items, tags and users with JWT auth; books; frameworks.\n\n"
    "Every response is JSON, or XML when the client asks for it with "
    "`Accept: application/xml` (problems: `application/problem+xml`, RFC 9457). The XML "
    "document has the JSON's members as elements, in the same order, each array member an "
    '`<i>` element and `null` an empty element with `xsi:nil="true"`; its ETag is not the '
    "JSON's. Request bodies are JSON or form-encoded only."
)
_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
QUERY_FIELDS_SUFFIX = "Fields"
FORM = "Form"  # suffix of the form-encoded variant of each request body schema
QUERY_FIELD = "May be sent here instead of in the body; for a field in both, the body's wins"
# The document's tags, in the order Swagger UI shows them: the core resources first.
TAGS = {
    "Users and tokens": "Accounts, logging in, refreshing and logging out",
    "Stores": "Stores own items and tags; whoever creates one owns it",
    "Items": "Priced goods of a store, searchable, with tags",
    "Tags": "Names per store, linked to that store's items",
    "Books": "The books tutorial's resource",
    "Books (tutorial paths)": "The same books at the tutorial's /booksApi paths",
    "Frameworks": "The 'Creating Python APIs' guide's resource, also as JSON-LD",
    "Discovery and operations": "The home document, this document, health checks",
}


class _JsonSchema(GenerateJsonSchema):
    """Pydantic's JSON Schema, corrected where our rendering differs from pydantic's."""

    def decimal_schema(self, schema: core_schema.DecimalSchema) -> JsonSchemaValue:
        # Responses write Decimals as exact JSON numbers (15.99), not as strings.
        if self.mode == "serialization":
            return {"type": "number"}
        return super().decimal_schema(schema)

    def literal_schema(self, schema: core_schema.LiteralSchema) -> JsonSchemaValue:
        # Names for values that are not identifiers, so generated clients get readable
        # enum members (`PRICE_DESC` for "-price", not `VALUE_5`).
        out = super().literal_schema(schema)
        values = out.get("enum", [])
        if all(isinstance(v, str) for v in values) and not all(v.isidentifier() for v in values):
            out["x-enum-varnames"] = [_enum_name(v) for v in values]
        return out


def _enum_name(value: str) -> str:
    name = re.sub(r"\W+", "_", value.lstrip("-")).strip("_").upper() or "EMPTY"
    return name + "_DESC" if value.startswith("-") else name


def _path(rule: str) -> tuple[str, list[dict[str, Any]]]:
    params = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "integer", "minimum": 0, "maximum": MAX_ID}
            if conv == "int"
            else {"type": "string"},
        }
        for conv, name in _PARAM.findall(rule)
    ]
    return _PARAM.sub(r"{\2}", rule), params


def _never_null(schema: dict[str, Any]) -> dict[str, Any]:
    """A query parameter is absent or has a value, never null: pydantic's `X | None = None`
    is documented as plain X (Swagger UI showed `string | (string | null)`)."""
    alternatives = schema.get("anyOf", [])
    if {"type": "null"} not in alternatives:
        return schema
    rest = [a for a in alternatives if a != {"type": "null"}]
    out = {k: v for k, v in schema.items() if k != "anyOf" and (k, v) != ("default", None)}
    return {**rest[0], **out} if len(rest) == 1 else {"anyOf": rest, **out}


def _query_params(model: type[BaseModel], schema: dict[str, Any]) -> list[dict[str, Any]]:
    props = schema.get("properties", {})
    required = set(schema.get("required", []))
    return [
        {
            "name": name,
            "in": "query",
            "required": name in required,
            "schema": _never_null({k: v for k, v in prop.items() if k != "title"}),
            **({"description": prop["description"]} if "description" in prop else {}),
        }
        for name, prop in props.items()
    ]


def _operation(op: Operation, refs: dict[Any, Any], defs: dict[str, Any]) -> dict[str, Any]:
    _, params = _path(op.rule)
    if op.query is not None:
        qschema = op.query.model_json_schema(
            ref_template="#/components/schemas/{model}", schema_generator=_JsonSchema
        )
        defs.update(qschema.pop("$defs", {}))
        params += _query_params(op.query, qschema)
    if op.fields_in_query and op.body is not None:
        bschema = op.body.model_json_schema(
            ref_template="#/components/schemas/{model}", schema_generator=_JsonSchema
        )
        defs.update(bschema.pop("$defs", {}))
        params += [
            {**p, "required": False, "description": QUERY_FIELD}
            for p in _query_params(op.body, bschema)
        ]
    if op.method == "GET":
        params.append(
            {
                "name": "If-None-Match",
                "in": "header",
                "required": False,
                "schema": {"type": "string"},
            }
        )
    if op.method in ("PUT", "DELETE"):
        params.append(
            {"name": "If-Match", "in": "header", "required": False, "schema": {"type": "string"}}
        )
    if op.method == "POST" and op.idempotent_key:
        params.append(
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "schema": {"type": "string", "minLength": 1, "maxLength": 255},
            }
        )

    ok: dict[str, Any] = {"description": op.summary}
    if op.response is not None and op.status != 204:
        media = {"schema": refs[(op.response, "serialization")]}
        ok["content"] = {"application/json": media}
        if op.ld:
            ok["content"]["application/ld+json"] = {"schema": {"type": "object"}}
        if op.xml_root is not None:
            ok["content"][XML] = media
    headers: dict[str, Any] = {}
    if op.status == 201:
        headers["Location"] = header_doc("URL of the created resource")
    if op.method == "GET":
        headers["ETag"] = header_doc("Strong validator of the representation")
        headers["Cache-Control"] = header_doc("Caching policy")
    if headers:
        ok["headers"] = headers
    responses: dict[str, Any] = {str(op.status): ok}
    for status, description in op.other_statuses.items():
        other = {k: v for k, v in ok.items() if k != "headers"} | {"description": description}
        if kept := {k: v for k, v in headers.items() if k != "Location"}:  # a 201's only
            other["headers"] = kept
        responses[str(status)] = other
    if op.method == "GET":
        responses["304"] = {"description": "Not modified (If-None-Match matched)"}
    errors = {**COMMON_ERRORS, **op.errors}
    if op.guard is not None:
        errors.setdefault(401, "Missing, invalid, expired or revoked token")
        errors.setdefault(403, "Not allowed for this caller")
    if op.body is not None or op.query is not None or op.method == "POST":
        errors.setdefault(422, "Validation failed; see `errors`")
    if op.body is not None:
        errors.setdefault(400, "Malformed JSON")
        errors.setdefault(413, "Body too large")
        errors.setdefault(415, "Unsupported body media type")
    if op.upload is not None:
        errors.setdefault(413, "File too large")
        errors.setdefault(415, "Not a file of an accepted type")
        errors.setdefault(422, "The file cannot be read")
    if op.method in ("PUT", "DELETE"):
        errors.setdefault(412, "If-Match did not match the current ETag")
    for status, description in sorted(errors.items()):
        responses[str(status)] = problem_doc(description)
    responses = dict(sorted(responses.items()))  # a 200 beside a 201 comes first

    out: dict[str, Any] = {
        "summary": op.summary,
        "tags": [op.tag],
        "parameters": params,
        "responses": responses,
    }
    if op.description:
        out["description"] = op.description
    if op.body is not None:
        ref = refs[(op.body, "validation")]
        if op.fields_in_query:
            ref = {"$ref": ref["$ref"] + QUERY_FIELDS_SUFFIX}
        name = ref["$ref"].rsplit("/", 1)[1]
        defs.setdefault(name + FORM, _as_form(defs[name]))
        out["requestBody"] = {
            "required": not op.fields_in_query,
            "content": {
                "application/json": {"schema": ref},
                "application/x-www-form-urlencoded": {"schema": {"$ref": ref["$ref"] + FORM}},
            },
        }
    if op.upload is not None:
        out["requestBody"] = _upload_body(op.upload, defs)
    if op.guard is not None:
        out["security"] = [{"bearerAuth": []}]
    return out


def _upload_body(upload: Upload, defs: dict[str, Any]) -> dict[str, Any]:
    """A file sent raw, or as a field of a multipart form (what a browser's form sends)."""
    binary = {"type": "string", "format": "binary", "description": upload.description}
    defs.setdefault("FileBody", {**binary, "title": "FileBody"})
    defs.setdefault(
        "FileForm",
        {
            "title": "FileForm",
            "type": "object",
            "properties": {upload.form_field: binary},
            "required": [upload.form_field],
        },
    )
    raw = {"schema": {"$ref": "#/components/schemas/FileBody"}}
    form = {
        "schema": {"$ref": "#/components/schemas/FileForm"},
        "encoding": {upload.form_field: {"contentType": ", ".join(upload.media_types)}},
    }
    return {
        "required": True,
        "description": upload.description,
        "content": {**{t: raw for t in upload.media_types}, "multipart/form-data": form},
    }


def _fields_anywhere(schema: dict[str, Any]) -> dict[str, Any]:
    """A body whose fields may come from the query string instead: none is required in it."""
    out = {k: v for k, v in schema.items() if k not in ("required", "anyOf", "not")}
    out["title"] = schema.get("title", "Body") + QUERY_FIELDS_SUFFIX  # the component's name
    out["description"] = (
        "Each field may be sent in the body or in the query string (the body's wins); "
        "the fields a change or a creation needs must be in one of them."
    )
    return out


def _as_form(schema: dict[str, Any]) -> dict[str, Any]:
    """The same fields as an HTML form sends them, as a component of its own.

    Client generators pick the body's class by its schema; one schema for both media types
    makes openapi-python-client emit code that does not import (and would send both).
    """
    title = schema.get("title", "Body") + FORM
    description = "The same fields, sent as an HTML form (application/x-www-form-urlencoded)."
    return {**schema, "title": title, "description": description}


def _operation_ids(operations: list[Operation]) -> list[str]:
    """The handler's name; `blueprint_handler` where two blueprints use the same name."""
    names = [op.endpoint.split(".")[-1] for op in operations]
    return [
        op.endpoint.replace(".", "_") if names.count(name) > 1 else name
        for op, name in zip(operations, names, strict=True)
    ]


def build_spec(title: str, version: str) -> dict[str, Any]:
    models = {(ProblemDoc, "serialization")}
    for op in OPERATIONS:
        if op.body is not None:
            models.add((op.body, "validation"))
        if op.response is not None:
            models.add((op.response, "serialization"))
    refs, top = models_json_schema(
        sorted(models, key=lambda m: (m[0].__name__, m[1])),
        ref_template="#/components/schemas/{model}",
        schema_generator=_JsonSchema,
    )
    defs: dict[str, Any] = dict(top.get("$defs", {}))
    for op in OPERATIONS:
        if op.body is not None and op.fields_in_query:
            name = refs[(op.body, "validation")]["$ref"].rsplit("/", 1)[1]
            defs.setdefault(name + QUERY_FIELDS_SUFFIX, _fields_anywhere(defs[name]))
    paths: dict[str, dict[str, Any]] = {}
    for op, operation_id in zip(OPERATIONS, _operation_ids(OPERATIONS), strict=True):
        path, _ = _path(op.rule)
        spec = {"operationId": operation_id, **_operation(op, refs, defs)}
        paths.setdefault(path, {})[op.method.lower()] = spec
    for page in HTML_PAGES:
        paths.setdefault(page.path, {})["get"] = page_operation(page)
    for route in FILE_ROUTES:
        paths.setdefault(route.path, {})["get"] = file_operation(route)
    document_xml(refs, defs)
    order = list(TAGS)

    def rank(path: str) -> int:
        tag = next(iter(paths[path].values()))["tags"][0]
        return order.index(tag) if tag in order else len(order)

    return {
        "openapi": "3.1.0",
        "info": {
            "title": title,
            "version": version,
            "description": DESCRIPTION,
        },
        "tags": [{"name": name, "description": text} for name, text in TAGS.items()],
        "paths": {path: paths[path] for path in sorted(paths, key=rank)},
        "components": {
            "schemas": defs,
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
            },
        },
    }
