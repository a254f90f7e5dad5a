"""Writes for staff accounts: sign-in, sessions, passwords, two-factor, administration.

Each function is one unit of work: change rows, append the audit record, queue e-mail, commit.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

import pyotp
from flask import current_app, request
from flask_babel import lazy_gettext as _l

from portal.accounts import queries
from portal.accounts.models import LoginThrottle, StaffSession, User
from portal.accounts.passwords import hash_password, spend_equal_time, verify_password
from portal.core import audit, site
from portal.extensions import db
from portal.notifications.services import deliver_due, queue_email


def _now() -> datetime:
    return datetime.now(UTC)


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


@dataclass(frozen=True)
class SignIn:
    user: User | None
    locked_until: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.user is not None


def _active_lock(throttle: LoginThrottle | None) -> datetime | None:
    if throttle and throttle.locked_until and throttle.locked_until > _now():
        return throttle.locked_until
    return None


def _count_failure(key: str, throttle: LoginThrottle | None, user: User | None, action: str):
    """Record a failed step and lock the address once there are too many; return the lock end."""
    now = _now()
    throttle = throttle or LoginThrottle(key=key, failures=0)
    db.session.add(throttle)
    if throttle.locked_until and throttle.locked_until <= now:
        throttle.failures = 0
        throttle.locked_until = None
    throttle.failures += 1
    throttle.last_failure_at = now
    # The audit log records the account when it exists, a hash of the address when not.
    target = {"target_type": "staff_user", "target_id": user.public_id} if user else {}
    audit.record(action, actor=user, detail=None if user else {"email_hash": key[:16]}, **target)
    if throttle.failures >= current_app.config["LOCKOUT_THRESHOLD"]:
        throttle.locked_until = now + current_app.config["LOCKOUT_DURATION"]
        audit.record(
            "login.locked",
            actor=user,
            detail={"until": throttle.locked_until.isoformat()},
            **target,
        )
    db.session.commit()
    return throttle.locked_until


def check_password_sign_in(email: str, password: str) -> SignIn:
    """Check an e-mail and password, counting failures per address typed; commit."""
    email = normalise_email(email)
    key = _digest(email)
    throttle = db.session.get(LoginThrottle, key)
    locked = _active_lock(throttle)
    if locked:
        spend_equal_time(password)
        audit.record("login.refused-locked", detail={"email_hash": key[:16]})
        db.session.commit()
        return SignIn(None, locked_until=locked)

    user = queries.user_by_email(email)
    if user is None:
        spend_equal_time(password)
        valid = False
    else:
        valid = verify_password(user.password_hash, password) and user.active
    if valid:
        return SignIn(user)
    return SignIn(None, locked_until=_count_failure(key, throttle, user, "login.failed"))


def check_totp_sign_in(user: User, code: str) -> SignIn:
    """Second step: accept a fresh TOTP code; wrong codes count towards the same lockout."""
    key = _digest(user.email)
    throttle = db.session.get(LoginThrottle, key)
    locked = _active_lock(throttle)
    if locked:
        return SignIn(None, locked_until=locked)
    if accept_totp(user, code):
        return SignIn(user)
    return SignIn(None, locked_until=_count_failure(key, throttle, user, "login.totp-failed"))


def _clear_failures(user: User) -> None:
    throttle = db.session.get(LoginThrottle, _digest(user.email))
    if throttle:
        db.session.delete(throttle)


def _matching_step(secret: str, code: str) -> int | None:
    """Return the time step (now, or one either side for clock drift) the code belongs to."""
    code = "".join(ch for ch in code if ch.isdigit())
    if len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    current_step = totp.timecode(_now())
    for step in (current_step - 1, current_step, current_step + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def accept_totp(user: User, code: str) -> bool:
    """Accept a current TOTP code once; a code already used is refused. Commits on success."""
    if not user.totp_secret:
        return False
    step = _matching_step(user.totp_secret, code)
    if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
        return False
    user.totp_last_step = step
    db.session.commit()
    return True


def start_session(user: User) -> str:
    """Open a server-side session for a fully signed-in user; return the cookie token."""
    token = secrets.token_urlsafe(32)
    user_agent = request.headers.get("User-Agent", "")[:200]
    db.session.add(
        StaffSession(
            token_hash=_digest(token), user=user, ip=request.remote_addr, user_agent=user_agent
        )
    )
    user.last_login_at = _now()
    _clear_failures(user)
    audit.record("login.succeeded", actor=user, target_type="staff_user", target_id=user.public_id)
    db.session.commit()
    return token


def resume_session(token: str | None, public_id: str) -> User | None:
    """Return the user of a live session, ending it if idle or too old."""
    if not token:
        return None
    row = db.session.scalar(
        db.select(StaffSession).where(StaffSession.token_hash == _digest(token))
    )
    if row is None or row.revoked_at is not None:
        return None
    user = row.user
    if user.public_id != public_id or not user.active:
        return None
    now = _now()
    config = current_app.config
    if now - row.last_seen_at > config["STAFF_IDLE_TIMEOUT"]:
        _revoke(row, "idle")
        db.session.commit()
        return None
    if now - row.created_at > config["STAFF_ABSOLUTE_TIMEOUT"]:
        _revoke(row, "expired")
        db.session.commit()
        return None
    # Touch at most once a minute: enough for a 30-minute idle limit, far fewer writes.
    if (now - row.last_seen_at).total_seconds() > 60:
        row.last_seen_at = now
        db.session.commit()
    return user


def _revoke(row: StaffSession, reason: str) -> None:
    row.revoked_at = _now()
    audit.record(
        f"session.{reason}", actor=row.user, target_type="staff_user", target_id=row.user.public_id
    )


def end_session(token: str | None) -> None:
    """Sign out: the session's cookie stops working everywhere it was copied."""
    if not token:
        return
    row = db.session.scalar(
        db.select(StaffSession).where(StaffSession.token_hash == _digest(token))
    )
    if row is not None and row.revoked_at is None:
        row.revoked_at = _now()
        audit.record(
            "logout", actor=row.user, target_type="staff_user", target_id=row.user.public_id
        )
        db.session.commit()


def _revoke_all(user: User) -> int:
    rows = db.session.scalars(
        db.select(StaffSession).where(
            StaffSession.user_id == user.id, StaffSession.revoked_at.is_(None)
        )
    ).all()
    for row in rows:
        row.revoked_at = _now()
    return len(rows)


def change_password(user: User, new_password: str) -> None:
    """Set a new password, end every session of the user and tell them by e-mail; commit."""
    user.password_hash = hash_password(new_password)
    user.password_changed_at = _now()
    ended = _revoke_all(user)
    audit.record(
        "account.password-changed",
        actor=user,
        target_type="staff_user",
        target_id=user.public_id,
        detail={"sessions_ended": ended},
    )
    _queue_account_mail(user, "accounts/password_changed", _l("Your password was changed"))
    db.session.commit()
    deliver_due()


def enrol_totp(user: User, secret: str, code: str) -> bool:
    """Turn on two-factor sign-in once the user proves they hold the secret; commit."""
    step = _matching_step(secret, code)
    if step is None:
        return False
    user.totp_secret = secret
    user.totp_last_step = step  # the enrolment code counts as used
    audit.record(
        "account.2fa-enabled", actor=user, target_type="staff_user", target_id=user.public_id
    )
    db.session.commit()
    return True


def disable_totp(user: User, *, actor: User) -> None:
    """Turn two-factor off (the user's own choice, or an admin resetting a lost phone)."""
    user.totp_secret = None
    user.totp_last_step = None
    if actor.id != user.id:
        _revoke_all(user)
    audit.record(
        "account.2fa-disabled", actor=actor, target_type="staff_user", target_id=user.public_id
    )
    db.session.commit()


def create_user(
    *,
    email: str,
    full_name: str,
    role: str,
    password: str,
    actor: User | None,
    notify: bool = True,
    unit_id: int | None = None,
) -> User:
    """Create a staff account; tell the new member by e-mail; commit."""
    user = User(
        email=normalise_email(email),
        full_name=full_name,
        role=role,
        password_hash=hash_password(password),
        unit_id=unit_id,
    )
    db.session.add(user)
    db.session.flush()
    audit.record(
        "account.created",
        actor=actor,
        target_type="staff_user",
        target_id=user.public_id,
        detail={"email": user.email, "role": role, "unit_id": unit_id},
    )
    if notify:
        _queue_account_mail(
            user, "accounts/account_created", _l("A staff account was created for you")
        )
    db.session.commit()
    if notify:
        deliver_due()
    return user


_KEEP = object()


def update_user(
    user: User, *, full_name: str, role: str, active: bool, actor: User, unit_id=_KEEP
) -> None:
    """Change a staff account; deactivation or a role or unit change ends its sessions; commit."""
    changes = {}
    if unit_id is not _KEEP and user.unit_id != unit_id:
        # A move to another unit changes which cases the member may open: sign them out.
        changes["unit_id"] = [user.unit_id, unit_id]
        user.unit_id = unit_id
    if user.full_name != full_name:
        changes["full_name"] = True
        user.full_name = full_name
    if user.role != role:
        changes["role"] = [user.role, role]
        user.role = role
    if user.active != active:
        changes["active"] = [user.active, active]
        user.active = active
    if not changes:
        return
    if "role" in changes or "unit_id" in changes or not active:
        _revoke_all(user)
    action = "account.deactivated" if changes.get("active") == [True, False] else "account.updated"
    audit.record(
        action, actor=actor, target_type="staff_user", target_id=user.public_id, detail=changes
    )
    db.session.commit()


def reset_password(user: User, *, new_password: str, actor: User) -> None:
    """An admin sets a new password for someone; their sessions end; commit."""
    user.password_hash = hash_password(new_password)
    user.password_changed_at = _now()
    _revoke_all(user)
    audit.record(
        "account.password-reset", actor=actor, target_type="staff_user", target_id=user.public_id
    )
    _queue_account_mail(user, "accounts/password_changed", _l("Your password was changed"))
    db.session.commit()
    deliver_due()


def save_site_settings(values: dict[str, str], *, actor: User) -> list[str]:
    """Store the agency's settings; audit which keys changed; commit."""
    changed = site.save(values)
    if changed:
        audit.record("settings.updated", actor=actor, target_type="site", detail={"keys": changed})
    db.session.commit()
    return changed


def _queue_account_mail(user: User, event: str, subject) -> None:
    queue_email(
        event=event,
        recipient=user.email,
        subject=subject,
        user=user,
        site=site.load(),
    )
