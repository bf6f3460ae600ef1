"""The XML side of the OpenAPI document: each documented response's root element and how its
arrays are written (one wrapping element, `<i>` members)."""

from __future__ import annotations

from typing import Any

from storeapi.http.api import OPERATIONS
from storeapi.http.schemas import ProblemDoc
from storeapi.http.xml_documents import ARRAY_MEMBER, PROBLEM_NAMESPACE


def _component(ref: dict[str, Any]) -> str:
    return ref["$ref"].rsplit("/", 1)[1]


def _xml_arrays(schema: Any, defs: dict[str, Any], seen: set[str]) -> None:
    """Mark every array in `schema` and the components it refers to as written in XML: one
    wrapping element whose members are `<i>` elements."""
    if isinstance(schema, list):
        for member in schema:
            _xml_arrays(member, defs, seen)
        return
    if not isinstance(schema, dict):
        return
    if "$ref" in schema and (name := _component(schema)) not in seen:
        seen.add(name)
        _xml_arrays(defs[name], defs, seen)
    if schema.get("type") == "array":
        schema["xml"] = {"wrapped": True}
        if isinstance(schema.get("items"), dict):
            schema["items"]["xml"] = {"name": ARRAY_MEMBER}
    for key, value in schema.items():
        if key not in ("$ref", "xml"):
            _xml_arrays(value, defs, seen)


def document_xml(refs: dict[Any, Any], defs: dict[str, Any]) -> None:
    """The XML form of every documented response: its root element's name and its arrays."""
    roots = {(ProblemDoc, "problem")} | {
        (op.response, op.xml_root) for op in OPERATIONS if op.xml_root is not None
    }
    seen: set[str] = set()
    for model, root in roots:
        name = _component(refs[(model, "serialization")])
        defs[name]["xml"] = {"name": root}
        _xml_arrays({"$ref": f"#/components/schemas/{name}"}, defs, seen)
    defs[_component(refs[(ProblemDoc, "serialization")])]["xml"]["namespace"] = PROBLEM_NAMESPACE
