"""Writes for disclosures: drafts, publication (now or scheduled), revisions, withdrawal,
attachments, comments on drafts and their moderation, categories.

Each function is one unit of work: change rows, append the audit record, refresh the search
index, commit. Nothing about a published disclosure changes without a new revision.
"""

import contextlib
import os
from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l

from portal.core import audit, search
from portal.core.sanitize import clean_html, clean_text
from portal.core.text import slugify
from portal.core.uploads import UploadRefused, store_upload, upload_folder
from portal.core.workdays import local_date
from portal.disclosures.models import (
    CommentStatus,
    Disclosure,
    DisclosureAttachment,
    DisclosurePapi,
    DisclosureRevision,
    DraftComment,
    PapiDimension,
    Status,
)
from portal.extensions import db

__all__ = [
    "ATTACHMENT_KINDS",
    "DisclosureError",
    "UploadRefused",
    "add_attachments",
    "add_comment",
    "create_disclosure",
    "edit_disclosure",
    "moderate_comment",
    "publish_consultation_report",
    "publish_disclosure",
    "remove_attachment",
    "snapshot",
    "unschedule_disclosure",
    "withdraw_disclosure",
]

# What an attachment may be, checked by content (core.uploads.sniff), never by its name.
ATTACHMENT_KINDS = frozenset({"pdf", "docx", "xlsx", "odt", "ods", "png", "jpeg"})

# The fields an editor sets on a disclosure (values dicts use these keys).
EDITABLE_FIELDS = (
    "category",
    "title",
    "summary",
    "body_html",
    "document_type",
    "issuer",
    "number_symbol",
    "issued_on",
    "effective_on",
    "disclosure_form",
    "disclosure_place",
    "visible_until",
    "unit",
    "papi",
    "is_consultation",
    "comments_open_at",
    "comments_close_at",
)
# Set as given; every other editable field is text, stored stripped.
_VALUE_FIELDS = frozenset(
    {
        "category",
        "unit",
        "is_consultation",
        "issued_on",
        "effective_on",
        "visible_until",
        "comments_open_at",
        "comments_close_at",
    }
)
# Every field a reader sees, in the order the history lists them; a revision snapshots these.
PUBLIC_FIELDS = (*EDITABLE_FIELDS, "attachments")

SLUG_MAX = 150  # the column holds 160: room for a "-99" suffix
SLUG_FALLBACK = "van-ban"


class DisclosureError(ValueError):
    """The change is not allowed in the disclosure's state; str(error) tells the editor why."""


def _now() -> datetime:
    return datetime.now(UTC)


# --- Slugs and snapshots -----------------------------------------------------------------


def unique_slug(title: str, *, model=Disclosure, exclude_id: int | None = None) -> str:
    """Return slugify(title), or with -2, -3… appended when another row already has it."""
    base = slugify(title, max_length=SLUG_MAX) or SLUG_FALLBACK
    query = db.select(model.slug).where(model.slug.like(f"{base}%"))
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    taken = set(db.session.scalars(query))
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def snapshot(disclosure: Disclosure) -> dict:
    """Every public field as plain JSON values, for a revision."""
    d = disclosure
    return {
        "category": {"slug": d.category.slug, "name": d.category.name},
        "title": d.title,
        "summary": d.summary,
        "body_html": d.body_html,
        "document_type": d.document_type,
        "issuer": d.issuer,
        "number_symbol": d.number_symbol,
        "issued_on": _iso(d.issued_on),
        "effective_on": _iso(d.effective_on),
        "disclosure_form": d.disclosure_form,
        "disclosure_place": d.disclosure_place,
        "visible_until": _iso(d.visible_until),
        "unit": {"slug": d.unit.slug, "name": d.unit.name} if d.unit else None,
        "papi": list(d.papi_dimensions),
        "is_consultation": d.is_consultation,
        "comments_open_at": _iso(d.comments_open_at),
        "comments_close_at": _iso(d.comments_close_at),
        "attachments": [
            {
                "file": a.stored_file.public_id,
                "name": a.stored_file.original_name,
                "title": a.title,
                "kind": a.stored_file.kind,
                "size": a.stored_file.size,
            }
            for a in d.attachments
        ],
    }


def changed_fields(previous: dict | None, current: dict) -> list[str]:
    """The public fields whose values differ between two snapshots, in PUBLIC_FIELDS order."""
    if previous is None:
        return []
    return [name for name in PUBLIC_FIELDS if previous.get(name) != current.get(name)]


def _write_revision(d: Disclosure, *, actor, change_note: str, published_at: datetime):
    current = snapshot(d)
    previous = d.revisions[0].snapshot if d.revisions else None
    changes = changed_fields(previous, current)
    if previous is not None and not changes:
        raise DisclosureError(_l("Nothing was changed, so no new version was made."))
    d.revision_count += 1
    revision = DisclosureRevision(
        number=d.revision_count,
        published_at=published_at,
        editor_id=getattr(actor, "id", None),
        title=d.title,
        summary=d.summary,
        body_html=d.body_html,
        snapshot=current,
        changed_fields=changes,
        change_note=change_note,
    )
    # Newest first, as the relationship orders them when loaded.
    d.revisions.insert(0, revision)
    return revision


def _rewrite_pending_revision(d: Disclosure, *, actor) -> None:
    """A scheduled disclosure nobody could see yet: its first version is rewritten, not added to.

    The history exists so readers can see what changed in what they could read; a version that
    never became public has no readers.
    """
    revision = d.revisions[0]
    revision.title = d.title
    revision.summary = d.summary
    revision.body_html = d.body_html
    revision.snapshot = snapshot(d)
    revision.published_at = d.publish_at
    revision.editor_id = getattr(actor, "id", None)


# --- Search index ------------------------------------------------------------------------


def _search_kind(d: Disclosure) -> str:
    return "draft" if d.is_consultation else "disclosure"


def _index(d: Disclosure) -> None:
    # Drafts being edited are never indexed; published ones are, with publish_at, so a search
    # hides a scheduled item until its time comes. Withdrawn ones stay: they are still public.
    other = "disclosure" if d.is_consultation else "draft"
    search.remove_entry(kind=other, ref_id=d.id)
    search.index_entry(
        kind=_search_kind(d),
        ref_id=d.id,
        slug=d.slug,
        title=d.title,
        body=clean_text("<p>" + _escape(d.summary) + "</p>" + d.body_html),
        published_at=d.publish_at,
    )


def _unindex(d: Disclosure) -> None:
    search.remove_entry(kind="disclosure", ref_id=d.id)
    search.remove_entry(kind="draft", ref_id=d.id)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- Disclosures -------------------------------------------------------------------------


def _check_window(values: dict) -> None:
    if not values.get("is_consultation"):
        return
    opens, closes = values.get("comments_open_at"), values.get("comments_close_at")
    if opens is None or closes is None:
        raise DisclosureError(_l("Enter when the comment period opens and closes."))
    if closes <= opens:
        raise DisclosureError(_l("The comment period must close after it opens."))


def _apply(d: Disclosure, values: dict) -> None:
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise KeyError(", ".join(sorted(unknown)))
    current = {name: getattr(d, name, None) for name in EDITABLE_FIELDS if name != "papi"}
    _check_window({**current, **values})
    for name, value in values.items():
        if name == "body_html":
            d.body_html = clean_html(value)
        elif name == "papi":
            wanted = sorted({PapiDimension(int(v)).value for v in value or ()})
            if wanted != d.papi_dimensions:
                d.papi_links = [DisclosurePapi(dimension=v) for v in wanted]
        elif name in _VALUE_FIELDS:
            setattr(d, name, value)
        else:
            setattr(d, name, (value or "").strip())
    d.is_consultation = bool(d.is_consultation)
    if not d.is_consultation:
        d.comments_open_at = d.comments_close_at = None


def _audit(action: str, d: Disclosure, *, actor, detail: dict | None = None) -> None:
    audit.record(
        action, actor=actor, target_type="disclosure", target_id=d.public_id, detail=detail
    )


def create_disclosure(values: dict, *, actor) -> Disclosure:
    """Start a draft (never public) from the editor's values; commit."""
    d = _new_draft(values, actor=actor)
    db.session.commit()
    return d


def publish_new_disclosure(values: dict, *, actor) -> Disclosure:
    """Create a disclosure and publish it now, in the caller's transaction (no commit).

    For another domain's step whose own changes must be saved with the publication or not at
    all (a complaint decision published with the response that carries it).
    """
    d = _new_draft(values, actor=actor)
    _publish(d, actor=actor, publish_at=None)
    return d


def _new_draft(values: dict, *, actor) -> Disclosure:
    category = values["category"]
    d = Disclosure(
        status=Status.DRAFT,
        category=category,
        title="",
        disclosure_form=category.disclosure_form,
        disclosure_place=category.disclosure_place,
    )
    _apply(d, values)
    d.slug = unique_slug(d.title)
    db.session.add(d)
    db.session.flush()
    _audit("disclosure.created", d, actor=actor, detail={"title": d.title})
    return d


def edit_disclosure(d: Disclosure, values: dict, *, actor, change_note: str = "") -> None:
    """Save an editor's changes; a public disclosure gets a new revision (change note required).

    A draft changes freely (and its slug follows its title). A scheduled one nobody has seen
    yet has its pending version rewritten. A public one keeps every earlier version.
    """
    if d.status == Status.WITHDRAWN:
        raise DisclosureError(_l("A withdrawn disclosure cannot be changed."))
    public = d.is_public()
    change_note = (change_note or "").strip()
    if public and not change_note:
        raise DisclosureError(_l("Say what changed and why: the note is shown to readers."))
    _apply(d, values)
    if d.status == Status.DRAFT:
        d.slug = unique_slug(d.title, exclude_id=d.id)
        _audit("disclosure.updated", d, actor=actor)
    elif public:
        revision = _write_revision(d, actor=actor, change_note=change_note, published_at=_now())
        _index(d)
        _audit(
            "disclosure.revised",
            d,
            actor=actor,
            detail={"revision": revision.number, "changed": revision.changed_fields},
        )
    else:
        _rewrite_pending_revision(d, actor=actor)
        _index(d)
        _audit("disclosure.updated", d, actor=actor, detail={"scheduled": True})
    db.session.commit()


def publish_disclosure(d: Disclosure, *, actor, publish_at: datetime | None = None) -> None:
    """Publish a draft now, or schedule it (public from publish_at on); reschedule; commit.

    The slug is fixed from here on. The first revision is written at once; a scheduled one may
    still be edited (its pending version is rewritten) or moved back to draft.
    """
    _publish(d, actor=actor, publish_at=publish_at)
    db.session.commit()


def _publish(d: Disclosure, *, actor, publish_at: datetime | None) -> None:
    now = _now()
    when = publish_at or now
    if when.tzinfo is None:
        raise ValueError("publish_at must be timezone-aware")
    if d.status == Status.WITHDRAWN or d.is_public(now):
        raise DisclosureError(_l("This disclosure is already public."))
    if publish_at is not None and publish_at < now:
        when = now  # a time already past means "now": the record never claims an earlier date
    _check_window({"is_consultation": d.is_consultation, **_window(d)})
    rescheduling = d.status == Status.PUBLISHED
    d.status = Status.PUBLISHED
    d.publish_at = when
    if rescheduling:
        _rewrite_pending_revision(d, actor=actor)
    else:
        _write_revision(d, actor=actor, change_note="", published_at=when)
    _index(d)
    _meet_due_date(d, actor=actor)
    action = "disclosure.published" if when <= now else "disclosure.scheduled"
    _audit(action, d, actor=actor, detail={"publish_at": when.isoformat()})


def _window(d: Disclosure) -> dict:
    return {"comments_open_at": d.comments_open_at, "comments_close_at": d.comments_close_at}


def _meet_due_date(d: Disclosure, *, actor) -> None:
    # The category's due date is for its next disclosure: one published (or scheduled) by that
    # day meets it, so the date is cleared and the editor sets the next one. A late one leaves
    # the date; queries.obligations() stops flagging it once the late disclosure is public.
    category = d.category
    if category.due_on is not None and local_date(d.publish_at) <= category.due_on:
        audit.record(
            "disclosure-category.due-met",
            actor=actor,
            target_type="disclosure_category",
            target_id=category.slug,
            detail={"due_on": category.due_on.isoformat(), "disclosure": d.public_id},
        )
        category.due_on = None


def unschedule_disclosure(d: Disclosure, *, actor) -> None:
    """Take a scheduled disclosure back to draft before anyone could see it; commit."""
    if not d.is_scheduled():
        raise DisclosureError(_l("Only a scheduled disclosure can be moved back to draft."))
    d.status = Status.DRAFT
    d.publish_at = None
    for revision in list(d.revisions):
        d.revisions.remove(revision)
    d.revision_count = 0
    _unindex(d)
    _audit("disclosure.unscheduled", d, actor=actor)
    db.session.commit()


def withdraw_disclosure(d: Disclosure, *, reason: str, actor) -> None:
    """Mark a public disclosure withdrawn: it stays visible, with the reason; commit."""
    reason = (reason or "").strip()
    if not reason:
        raise DisclosureError(_l("Enter the reason for withdrawing it: readers see it."))
    if d.status != Status.PUBLISHED or not d.is_public():
        raise DisclosureError(_l("Only a public disclosure can be withdrawn."))
    d.status = Status.WITHDRAWN
    d.withdrawn_at = _now()
    d.withdrawal_reason = reason
    _index(d)  # still public, so still found
    _audit("disclosure.withdrawn", d, actor=actor, detail={"reason": reason})
    db.session.commit()


# --- Attachments -------------------------------------------------------------------------


def _delete_files(keys: list[str]) -> None:
    folder = upload_folder()
    for key in keys:
        with contextlib.suppress(FileNotFoundError):
            os.remove(os.path.join(folder, key))


def add_attachments(d: Disclosure, files: list, *, actor, title: str = "", change_note: str = ""):
    """Check and attach files; all or none: a refused file or a failed commit leaves nothing.

    `files` are werkzeug FileStorage objects. On a public disclosure this is a new revision.
    Raises UploadRefused (its message is for the editor) or DisclosureError.
    """
    files = [f for f in files if f and f.filename]
    if not files:
        raise DisclosureError(_l("Choose a file to attach."))
    if d.status == Status.WITHDRAWN:
        raise DisclosureError(_l("A withdrawn disclosure cannot be changed."))
    public = d.is_public()
    change_note = (change_note or "").strip()
    if public and not change_note:
        raise DisclosureError(_l("Say what changed and why: the note is shown to readers."))
    written: list[str] = []
    try:
        position = max((a.position for a in d.attachments), default=-1) + 1
        for offset, storage in enumerate(files):
            stored = store_upload(storage, allowed=ATTACHMENT_KINDS)
            written.append(stored.storage_key)
            d.attachments.append(
                DisclosureAttachment(
                    stored_file=stored,
                    title=(title or "").strip()[:300],
                    position=position + offset,
                )
            )
        db.session.flush()
        names = [a.stored_file.original_name for a in d.attachments[-len(files) :]]
        _after_attachment_change(d, actor=actor, change_note=change_note, public=public)
        _audit("disclosure.attachment-added", d, actor=actor, detail={"files": names})
        db.session.commit()
    except BaseException:
        db.session.rollback()
        _delete_files(written)
        raise


def remove_attachment(d: Disclosure, file_public_id: str, *, actor, change_note: str = "") -> None:
    """Remove one attachment and its stored file; on a public disclosure, a new revision."""
    if d.status == Status.WITHDRAWN:
        raise DisclosureError(_l("A withdrawn disclosure cannot be changed."))
    attachment = next((a for a in d.attachments if a.stored_file.public_id == file_public_id), None)
    if attachment is None:
        raise DisclosureError(_l("That file is not attached to this disclosure."))
    public = d.is_public()
    change_note = (change_note or "").strip()
    if public and not change_note:
        raise DisclosureError(_l("Say what changed and why: the note is shown to readers."))
    stored = attachment.stored_file
    key, name = stored.storage_key, stored.original_name
    d.attachments.remove(attachment)
    db.session.delete(stored)
    db.session.flush()
    _after_attachment_change(d, actor=actor, change_note=change_note, public=public)
    _audit("disclosure.attachment-removed", d, actor=actor, detail={"file": name})
    db.session.commit()
    # Only after the commit: a failed commit must leave the file the rows still point to.
    _delete_files([key])


def _after_attachment_change(d: Disclosure, *, actor, change_note: str, public: bool) -> None:
    if public:
        revision = _write_revision(d, actor=actor, change_note=change_note, published_at=_now())
        _audit(
            "disclosure.revised",
            d,
            actor=actor,
            detail={"revision": revision.number, "changed": revision.changed_fields},
        )
    elif d.status == Status.PUBLISHED:
        _rewrite_pending_revision(d, actor=actor)


# --- Drafts open for comment ------------------------------------------------------------


def add_comment(d: Disclosure, *, name: str, email: str, body: str) -> DraftComment:
    """Take a reader's comment on an open draft; it waits for moderation; commit.

    The text is stored as typed (plain text, escaped wherever shown) and never logged.
    """
    if not d.comments_open():
        raise DisclosureError(_l("This draft is not open for comments."))
    comment = DraftComment(
        disclosure_id=d.id,
        author_name=(name or "").strip(),
        author_email=(email or "").strip(),
        body=body.strip(),
        status=CommentStatus.PENDING,
    )
    db.session.add(comment)
    db.session.commit()
    return comment


def moderate_comment(comment: DraftComment, *, approve: bool, actor) -> None:
    """Approve (make public) or reject a pending comment; audited without its text; commit."""
    if comment.status != CommentStatus.PENDING:
        raise DisclosureError(_l("This comment has already been moderated."))
    comment.status = CommentStatus.APPROVED if approve else CommentStatus.REJECTED
    comment.moderated_at = _now()
    comment.moderator_id = getattr(actor, "id", None)
    audit.record(
        "draft-comment.approved" if approve else "draft-comment.rejected",
        actor=actor,
        target_type="draft_comment",
        target_id=comment.public_id,
    )
    db.session.commit()


def publish_consultation_report(d: Disclosure, *, report_html: str, actor) -> None:
    """Publish (or correct) how comments were taken into account, once the period closed."""
    if not d.is_consultation or not d.is_public():
        raise DisclosureError(_l("Only a public draft open for comment has a consultation report."))
    if not d.comments_closed():
        raise DisclosureError(_l("The report can be published once the comment period has closed."))
    cleaned = clean_html(report_html)
    if not clean_text(cleaned):
        raise DisclosureError(_l("Write the report before publishing it."))
    first = not d.consultation_report_html
    d.consultation_report_html = cleaned
    d.consultation_report_at = _now()
    _audit(
        "disclosure.consultation-report-published"
        if first
        else "disclosure.consultation-report-updated",
        d,
        actor=actor,
    )
    db.session.commit()
