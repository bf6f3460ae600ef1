"""Who may call: guards checked before a handler runs, and the owner check inside it."""

from __future__ import annotations

from dataclasses import dataclass

from flask import g
from flask_jwt_extended import verify_jwt_in_request

from storeapi.http.problems import Problem


@dataclass(frozen=True)
class Caller:
    id: int
    is_admin: bool


@dataclass(frozen=True)
class Guard:
    fresh: bool = False
    refresh: bool = False
    admin: bool = False

    def check(self) -> Caller:
        verify_jwt_in_request(fresh=self.fresh, refresh=self.refresh)
        caller: Caller = g.caller
        if self.admin and not caller.is_admin:
            raise Problem(403, "Only administrators may do this")
        return caller


TOKEN = Guard()
FRESH = Guard(fresh=True)
REFRESH = Guard(refresh=True)
ADMIN = Guard(admin=True)
ADMIN_FRESH = Guard(admin=True, fresh=True)


def current_caller() -> Caller:
    return g.caller


def require_owner(owner_id: int | None) -> None:
    """403 unless the caller owns the object's store or is an administrator."""
    caller = current_caller()
    if not (caller.is_admin or (owner_id is not None and caller.id == owner_id)):
        raise Problem(403, "Only the store's owner or an administrator may do this")
