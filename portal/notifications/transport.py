"""How a message leaves: through SMTP, or into instance/mail/ as .eml files in development."""

import os
import smtplib
from datetime import UTC, datetime

from flask import current_app
from flask_mail import Connection, Message

from portal.extensions import mail


class _TimeoutConnection(Connection):
    # Flask-Mail opens SMTP connections without a timeout; a hung server would hang a worker.
    def configure_host(self):
        timeout = current_app.config["MAIL_TIMEOUT"]
        state = self.mail
        if state.use_ssl:
            host = smtplib.SMTP_SSL(state.server, state.port, timeout=timeout)
        else:
            host = smtplib.SMTP(state.server, state.port, timeout=timeout)
        if state.use_tls:
            host.starttls()
        if state.username and state.password:
            host.login(state.username, state.password)
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
