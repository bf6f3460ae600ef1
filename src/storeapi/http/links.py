"""HAL `_links`: relative hrefs, so they hold behind any proxy."""

from __future__ import annotations

from typing import Any


def link(href: str, **extra: Any) -> dict[str, Any]:
    return {"href": href, **extra}


def links(self_href: str, **related: str | list[str] | dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"self": link(self_href)}
    for rel, target in related.items():
        if isinstance(target, str):
            out[rel] = link(target)
        elif isinstance(target, list):
            out[rel] = [link(t) for t in target]
        else:
            out[rel] = target
    return out
