"""A per-application cache of verified access tokens: each is verified in full only once.

A full verification (base64, JSON, the HMAC) is most of a write's token check (figures in
bench/README.md), and what it establishes about one token string under one key never changes.
So the guard keeps an access token's claims here, keyed by the exact string, and still checks
on every request what can change: the times, the token type, revocation and freshness.

An entry serves only while the application's key is the very object it was verified with: an
identity test, so no secret is compared and nothing leaks through timing. A lookup hashes the
whole string (SipHash, seeded per process) and compares it only with entries of that hash, so
its timing cannot be steered towards guessing a token; and a hit spares work only for someone
who already holds that exact token.
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from flask import Flask

MAX_TOKENS = 2048  # a few MB at most per application (bench/README.md)
_EXTENSION = "storeapi.verified_tokens"


@dataclass(frozen=True, slots=True)
class Verified:
    """The claims a full verification of one token yielded, and the key it used."""

    key: object  # compared by identity
    claims: Mapping[str, Any]  # read-only: every request shares them

    @classmethod
    def of(cls, key: object, claims: dict[str, Any]) -> Verified:
        return cls(key, MappingProxyType(_sharing_strings(claims)))


class VerifiedTokens:
    """A bounded, thread-safe LRU map from a token string to its `Verified` entry."""

    def __init__(self, maxsize: int = MAX_TOKENS) -> None:
        self.maxsize = maxsize
        self._entries: OrderedDict[str, Verified] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, token: str) -> Verified | None:
        with self._lock:
            entry = self._entries.get(token)
            if entry is not None:
                self._entries.move_to_end(token)
            return entry

    def put(self, token: str, entry: Verified) -> None:
        with self._lock:
            self._entries[token] = entry
            self._entries.move_to_end(token)
            while len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)

    def discard(self, token: str) -> None:
        with self._lock:
            self._entries.pop(token, None)

    def __contains__(self, token: object) -> bool:
        return token in self._entries

    def __len__(self) -> int:
        return len(self._entries)


def init_verified_tokens(app: Flask) -> None:
    app.extensions[_EXTENSION] = VerifiedTokens()


def verified_tokens(app: Flask) -> VerifiedTokens:
    return app.extensions[_EXTENSION]


def _sharing_strings(values: dict[str, Any]) -> dict[str, Any]:
    """A copy whose names and short strings ("type", "access", user ids) are interned, so that
    entries share them rather than each holding its own."""
    return {
        sys.intern(name): sys.intern(v) if type(v) is str and len(v) < 20 else v
        for name, v in values.items()
    }
