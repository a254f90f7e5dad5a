"""Every model, imported in one place so Alembic and the app always see the whole schema."""

from portal.accounts.models import LoginThrottle, StaffSession, User
from portal.answers.models import PublishedAnswer
from portal.api.models import ApiKey, ApiPartner, Open311Submission
from portal.cases.models import (
    Case,
    CaseAttachment,
    CaseCounter,
    CaseEvent,
    CaseIdentity,
    CaseMessage,
)
from portal.contacts.models import (
    Hotline,
    ReceptionDocument,
    ReceptionOffice,
    ReceptionRule,
    ReceptionSession,
    Unit,
)
from portal.core.audit import AuditEvent
from portal.core.search import SearchEntry
from portal.core.site import SiteSetting
from portal.core.uploads import StoredFile
from portal.core.workdays import CalendarException
from portal.disclosures.models import (
    Category,
    Disclosure,
    DisclosureAttachment,
    DisclosureRevision,
    DraftComment,
)
from portal.notifications.models import OutboxMessage
from portal.procedures.models import DossierComponent, Procedure, ProcedureChannel, ProcedureField

__all__ = [
    "ApiKey",
    "ApiPartner",
    "AuditEvent",
    "CalendarException",
    "Case",
    "CaseAttachment",
    "CaseCounter",
    "CaseEvent",
    "CaseIdentity",
    "CaseMessage",
    "Category",
    "Disclosure",
    "DisclosureAttachment",
    "DisclosureRevision",
    "DossierComponent",
    "DraftComment",
    "Hotline",
    "LoginThrottle",
    "Open311Submission",
    "OutboxMessage",
    "Procedure",
    "ProcedureChannel",
    "ProcedureField",
    "PublishedAnswer",
    "ReceptionDocument",
    "ReceptionOffice",
    "ReceptionRule",
    "ReceptionSession",
    "SearchEntry",
    "SiteSetting",
    "StaffSession",
    "StoredFile",
    "Unit",
    "User",
]
