"""admin/mail.py and the user actions: failed mail with its error, retried from the panel;
addresses marked verified by an administrator."""

from __future__ import annotations

from sqlalchemy import select, update

from storeapi.models import MailOutbox, User, utcnow
from tests.conftest import PASSWORD
from tests.live import free_port
from tests.mailbox import deliver, smtp_server
from tests.test_admin import panel, submit  # noqa: F401 (the fixture)


def test_failed_mail_shows_its_error_and_can_be_retried(panel, user):  # noqa: F811
    app = panel.application
    for _ in range(3):  # FAST_MAIL's attempts, against a port where nothing listens
        deliver(app, free_port(), mail_retry_base_ms=1, mail_max_attempts=3)
        with app.extensions["engine"].begin() as conn:
            conn.execute(update(MailOutbox).values(next_attempt_at=MailOutbox.created_at))
    page = panel.get("/admin/mail/").get_data(True)
    assert "failed" in page and "ConnectionRefusedError" in page and user.email in page
    with app.extensions["engine"].connect() as conn:
        failed = select(MailOutbox.id).where(MailOutbox.status == "failed")
        mail_ids = conn.execute(failed.where(MailOutbox.recipient == user.email)).scalars().all()
    assert len(mail_ids) == 1
    r = submit(
        panel,
        "/admin/mail/action/",
        {"action": "retry", "rowid": str(mail_ids[0])},
        form_url="/admin/mail/",
    )
    assert r.status_code == 302, r.get_data(True)
    with smtp_server() as (box, port):
        assert deliver(app, port) == 1  # the retried one; the admin's own stays failed
        assert [m.to for m in box.received] == [user.email]
    with app.extensions["engine"].connect() as conn:
        mail = select(MailOutbox.status).where(MailOutbox.id == mail_ids[0])
        assert conn.execute(mail).scalar_one() == "sent"


def test_retry_needs_the_csrf_token(panel, user):  # noqa: F811
    with panel.application.extensions["engine"].begin() as conn:
        conn.execute(update(MailOutbox).values(status="failed"))
        mail_ids = conn.execute(select(MailOutbox.id)).scalars().all()
    for mail_id in mail_ids:
        r = panel.post("/admin/mail/action/", data={"action": "retry", "rowid": mail_id})
        assert r.status_code in (302, 400)
    with panel.application.extensions["engine"].connect() as conn:
        assert set(conn.execute(select(MailOutbox.status)).scalars()) == {"failed"}


def test_an_admin_marks_an_address_verified(panel, user):  # noqa: F811
    r = submit(
        panel,
        "/admin/users/action/",
        {"action": "verify", "rowid": str(user.id)},
        form_url="/admin/users/",
    )
    assert r.status_code == 302, r.get_data(True)
    assert panel.get("/user/me", headers=user.headers).get_json()["email_verified"] is True
    with panel.application.extensions["engine"].connect() as conn:
        verified = conn.execute(select(User.email_verified_at).where(User.id == user.id))
        assert verified.scalar_one() is not None


def test_a_password_set_in_the_panel_ends_the_users_logins(panel, user):  # noqa: F811
    other_login = panel.post("/login", json={"email": user.email, "password": PASSWORD})
    r = submit(
        panel,
        f"/admin/users/edit/?id={user.id}",
        {"email": user.email, "new_password": "set by an administrator"},
    )
    assert r.status_code == 302, r.get_data(True)
    for access in (user.access, other_login.get_json()["access_token"]):
        me = panel.get("/user/me", headers={"Authorization": f"Bearer {access}"})
        assert me.status_code == 401 and me.get_json()["type"].endswith("/token-revoked")
    refresh = panel.post("/refresh", headers={"Authorization": f"Bearer {user.refresh}"})
    assert refresh.status_code == 401


def test_a_new_address_set_in_the_panel_is_unverified_again(panel, user):  # noqa: F811
    with panel.application.extensions["engine"].begin() as conn:
        conn.execute(update(User).where(User.id == user.id).values(email_verified_at=utcnow()))
    r = submit(panel, f"/admin/users/edit/?id={user.id}", {"email": "moved@example.com"})
    assert r.status_code == 302, r.get_data(True)
    with panel.application.extensions["engine"].connect() as conn:
        row = conn.execute(select(User.email, User.email_verified_at).where(User.id == user.id))
        assert tuple(row.one()) == ("moved@example.com", None)
