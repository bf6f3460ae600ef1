"""How names and emails are normalised and compared, the same way on every database.

A name is stored in NFC, so "é" typed as one character or as e + accent is one name. Two
names are the same when their folded keys are equal: the key is kept in a column of its own
beside the name, with the unique index on it, because the databases' own lower() disagree
(SQLite folds ASCII only, PostgreSQL by the server's locale) and neither does full case folding.
"""

from __future__ import annotations

import unicodedata

KEY_GROWTH = 3  # case folding makes a character at most three ("ﬃ" -> "ffi")


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def folded(value: str) -> str:
    """Unicode's canonical caseless key: "Straße", "STRASSE" and "strasse" share one. NFC
    again after folding, because folding can undo a composition."""
    return nfc(nfc(value).casefold())
