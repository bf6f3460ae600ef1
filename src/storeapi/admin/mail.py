"""The panel's view of the mail outbox: what is queued, what failed and why, and a retry."""

from __future__ import annotations

from flask import flash
from flask_admin.actions import action

from storeapi import db
from storeapi.admin.views import SecureModelView
from storeapi.http.schemas import Input
from storeapi.mail import outbox


class MailOutboxAdmin(SecureModelView):
    """Read-only but for the retry action; failed mails first (`?flt…` filters by status)."""

    schema = Input  # never written through a form
    can_create = False
    can_edit = False
    can_delete = False
    column_list = (
        "id",
        "kind",
        "recipient",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "created_at",
        "sent_at",
    )
    column_details_list = column_list
    column_filters = ("status", "kind", "created_at")
    column_searchable_list = ("recipient",)
    column_sortable_list = ("id", "status", "attempts", "next_attempt_at", "created_at")
    column_default_sort = [("status", False), ("id", True)]

    @action("retry", "Retry", "Send the selected failed mails again?")
    def retry(self, ids: list[str]) -> None:
        count = outbox.retry(db.session(), [int(i) for i in ids])
        db.commit()
        flash(f"{count} failed mail(s) queued again; mails not marked failed are unchanged.")
