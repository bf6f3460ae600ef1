"""A request's route as a metric label or span name: the rule's template as the OpenAPI
document writes it (`/item/{item_id}`), never the raw path, so labels stay few."""

from __future__ import annotations

import re

from werkzeug.routing import Rule

UNMATCHED = "unmatched"  # no rule matched (404, 405): one label for every such path
# Methods a label or span name may name; clients may send any other, which is "other".
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_PARAM = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
_templates: dict[str, str] = {}


def route_template(rule: Rule | None) -> str:
    """`/item/<int:item_id>` -> `/item/{item_id}`; UNMATCHED without a rule."""
    if rule is None:
        return UNMATCHED
    text = rule.rule
    template = _templates.get(text)
    if template is None:
        template = _templates[text] = _PARAM.sub(r"{\1}", text)
    return template
