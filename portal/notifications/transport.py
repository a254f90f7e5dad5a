"""How a message leaves: through SMTP, or into instance/mail/ as .eml files in development."""

import os
import smtplib
from datetime import UTC, datetime

from flask import current_app
from flask_mail import Connection, Message

from portal.extensions import mail


class _TimeoutConnection(Connection):
    # Flask-Mail opens SMTP connections without a timeout; a hung server would hang a worker.
    # The server settings are read from the config at send time, like MAIL_TIMEOUT and
    # MAIL_TRANSPORT, not from the copy Flask-Mail took when the app was built.
    def configure_host(self):
        config = current_app.config
        server, port, timeout = config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_TIMEOUT"]
        if config["MAIL_USE_SSL"]:
            host = smtplib.SMTP_SSL(server, port, timeout=timeout)
        else:
            host = smtplib.SMTP(server, port, timeout=timeout)
        if config["MAIL_USE_TLS"]:
            host.starttls()
        if config["MAIL_USERNAME"] and config["MAIL_PASSWORD"]:
            host.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        return host


def build_message(*, recipient: str, subject: str, body_text: str, body_html: str | None):
    return Message(
        subject=subject,
        recipients=[recipient],
        body=body_text,
        html=body_html,
        sender=current_app.config["MAIL_DEFAULT_SENDER"],
    )


def send(message: Message, *, message_id: int) -> None:
    """Deliver one message; raise on failure so the outbox can retry."""
    if current_app.config["MAIL_TRANSPORT"] == "file":
        _write_eml(message, message_id)
        return
    state = current_app.extensions["mail"]
    with _TimeoutConnection(state) as connection:
        connection.send(message)


def _write_eml(message: Message, message_id: int) -> None:
    folder = current_app.config["MAIL_FILE_DIR"]
    os.makedirs(folder, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    path = os.path.join(folder, f"{stamp}-{message_id:06d}.eml")
    with open(path, "wb") as handle:
        handle.write(message.as_bytes())


__all__ = ["build_message", "mail", "send"]
