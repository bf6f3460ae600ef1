"""Mail bodies from Jinja2 templates (templates/mail/): a text part and an HTML part.

The HTML part is self-contained (inline styles, no images, fonts or scripts), so it reads
the same in a browser or a mail client and fetches nothing when opened."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

PRODUCT = "storeapi"
SUBJECTS = {
    "verify-email": f"Welcome to {PRODUCT}: please confirm your email address",
    "password-reset": f"Reset your {PRODUCT} password",
}
PAGES = {"verify-email": "verify-email", "password-reset": "reset-password"}

_templates = Environment(
    loader=PackageLoader("storeapi", "templates/mail"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str
    html: str


def link(public_url: str, kind: str, token: str) -> str:
    return f"{public_url}/{PAGES[kind]}?token={token}"


def render(kind: str, to: str, url: str, valid_for: str) -> Mail:
    context = {"product": PRODUCT, "email": to, "url": url, "valid_for": valid_for}
    return Mail(
        to=to,
        subject=SUBJECTS[kind],
        text=_templates.get_template(f"{kind}.txt").render(context),
        html=_templates.get_template(f"{kind}.html").render(context),
    )


def message(mail: Mail, sender: str, message_id: str) -> EmailMessage:
    """The MIME message: text first, HTML as its alternative."""
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, mail.to, mail.subject
    msg["Message-ID"] = message_id
    msg.set_content(mail.text)
    msg.add_alternative(mail.html, subtype="html")
    return msg
