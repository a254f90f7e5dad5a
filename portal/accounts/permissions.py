"""Roles and what each may do: the one table the staff guard reads."""

import enum

from flask_babel import lazy_gettext as _l


class Role(enum.StrEnum):
    ADMIN = "admin"
    EDITOR = "editor"
    HANDLER = "handler"
    HEAD = "head"
    LEADER = "leader"

    @property
    def label(self):
        return ROLE_LABELS[self]

    @property
    def description(self):
        return ROLE_DESCRIPTIONS[self]


ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.EDITOR: _l("Editor"),
    Role.HANDLER: _l("Case handler"),
    Role.HEAD: _l("Head of unit"),
    Role.LEADER: _l("Leader"),
}

ROLE_DESCRIPTIONS = {
    Role.ADMIN: _l("Manages staff accounts and the portal settings."),
    Role.EDITOR: _l("Publishes information on the portal."),
    Role.HANDLER: _l("Works on the cases assigned to them."),
    Role.HEAD: _l("Assigns cases and approves responses."),
    Role.LEADER: _l("Reads cases, reports and statistics."),
}


class Permission(enum.StrEnum):
    MANAGE_USERS = "manage-users"
    MANAGE_SETTINGS = "manage-settings"
    VIEW_AUDIT_LOG = "view-audit-log"
    PUBLISH_INFORMATION = "publish-information"
    READ_CASES = "read-cases"
    WORK_CASES = "work-cases"
    ASSIGN_CASES = "assign-cases"
    APPROVE_RESPONSES = "approve-responses"
    READ_REPORTS = "read-reports"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(
        {Permission.MANAGE_USERS, Permission.MANAGE_SETTINGS, Permission.VIEW_AUDIT_LOG}
    ),
    Role.EDITOR: frozenset({Permission.PUBLISH_INFORMATION}),
    Role.HANDLER: frozenset({Permission.READ_CASES, Permission.WORK_CASES}),
    Role.HEAD: frozenset(
        {
            Permission.READ_CASES,
            Permission.WORK_CASES,
            Permission.ASSIGN_CASES,
            Permission.APPROVE_RESPONSES,
            Permission.READ_REPORTS,
        }
    ),
    Role.LEADER: frozenset({Permission.READ_CASES, Permission.READ_REPORTS}),
}


def role_has(role: str, permission: Permission) -> bool:
    """Tell whether the role grants the permission; unknown roles grant nothing."""
    try:
        return permission in ROLE_PERMISSIONS[Role(role)]
    except ValueError:
        return False
