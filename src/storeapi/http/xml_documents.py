"""The XML form of a JSON representation, written with the standard library's ElementTree.

One mapping for every representation, RFC 9457's (appendix B) for problem details: an object
is an element with one child element per member, in order; an array is an element whose
children are all named `i`; a scalar is text, written as the JSON writes it (`15.99`, `true`,
`2026-12-03T10:00:00Z`); `null` is an empty element with `xsi:nil="true"`. A member whose name
is not an XML name becomes `<entry key="the name">`. Characters that XML 1.0 cannot carry (C0
controls, lone surrogates) become U+FFFD, so every document is well-formed.

Output only: nothing in this API parses XML, so it exposes no XML parser to callers.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

ARRAY_MEMBER = "i"  # RFC 9457 appendix B
ENTRY = "entry"
XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
PROBLEM_NAMESPACE = "urn:ietf:rfc:7807"  # RFC 9457 keeps RFC 7807's namespace
# Names taken as they are: ASCII letters, digits, `_`, `-`, `.`, not starting with a digit,
# `-`, `.` or (reserved by XML) `xml` in any case.
_NAME = re.compile(r"(?![Xx][Mm][Ll])[A-Za-z_][A-Za-z0-9_.-]*\Z")
_NOT_IN_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_JSON_OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_NAIVE_UTC  # as the JSON representation


def _text(value: Any) -> str:
    if isinstance(value, str):
        return _NOT_IN_XML.sub("\ufffd", value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        return str(value)  # a Decimal exactly as the JSON writes it: 4.20 stays 4.20
    written = orjson.loads(orjson.dumps(value, option=_JSON_OPTIONS))  # dates, floats, enums
    return _text(written) if isinstance(written, str) else str(written)


def _fill(element: ET.Element, value: Any) -> None:
    import xml.etree.ElementTree as ET  # (here, not at the top: see to_xml)

    if isinstance(value, dict):
        for key, member in value.items():
            name = str(key)
            if _NAME.match(name):
                child = ET.SubElement(element, name)
            else:
                child = ET.SubElement(element, ENTRY, key=_text(name))
            _fill(child, member)
    elif isinstance(value, list | tuple):
        for member in value:
            _fill(ET.SubElement(element, ARRAY_MEMBER), member)
    elif value is None:
        element.set(XSI_NIL, "true")
    else:
        element.text = _text(value)


def to_xml(data: Any, root: str, namespace: str | None = None) -> bytes:
    """`data` (what the JSON representation is made from) as an XML document named `root`,
    in the default `namespace` when one is given (problem details have one)."""
    # Imported on the first XML answer: a worker that serves only JSON never loads ElementTree
    # and pyexpat (bench/README.md, "Memory on PostgreSQL").
    import xml.etree.ElementTree as ET

    element = ET.Element(root, {"xmlns": namespace} if namespace else {})
    _fill(element, data)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)
