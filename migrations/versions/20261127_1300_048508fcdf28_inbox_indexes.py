"""Inbox indexes: open cases by deadline, and the staff search in case text

The inbox (portal/cases/queries.py) lists and counts open cases in (due_on, id) order: a
partial index holds only them (a few thousand rows in a million) with every column the inbox
filters on, so PostgreSQL answers from the index alone. The staff search matches words
anywhere in the folded search_text (LIKE '%word%'): trigram GIN indexes on PostgreSQL, over all
cases and over the open ones. SQLite has no trigram index: there those two are kept empty
(WHERE 0) rather than copies of the text.

Revision ID: 048508fcdf28
Revises: 9c95392212d6
Create Date: 2026-11-27 13:00:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "048508fcdf28"
down_revision = "9c95392212d6"
branch_labels = None
depends_on = None

# The workflow's open statuses, in the order of models.OPEN_STATUSES (queries use that order,
# so PostgreSQL recognises the index's condition).
OPEN = (
    "status IN ('received', 'classified', 'reopened', 'accepted', 'assigned', 'verifying', "
    "'drafted', 'approved')"
)
INCLUDED = ["status", "kind", "topic", "track", "channel", "handling_unit_id", "assignee_id"]


def upgrade():
    op.create_index(
        "ix_citizen_case_open_due",
        "citizen_case",
        ["due_on", "id"],
        postgresql_include=INCLUDED,
        postgresql_where=sa.text(OPEN),
        sqlite_where=sa.text(OPEN),
    )
    op.create_index(
        "ix_citizen_case_search_text",
        "citizen_case",
        ["search_text"],
        postgresql_using="gin",
        postgresql_ops={"search_text": "gin_trgm_ops"},
        sqlite_where=sa.text("0"),
    )
    op.create_index(
        "ix_citizen_case_open_search",
        "citizen_case",
        ["search_text"],
        postgresql_using="gin",
        postgresql_ops={"search_text": "gin_trgm_ops"},
        postgresql_where=sa.text(OPEN),
        sqlite_where=sa.text("0"),
    )


def downgrade():
    op.drop_index("ix_citizen_case_open_search", table_name="citizen_case")
    op.drop_index("ix_citizen_case_search_text", table_name="citizen_case")
    op.drop_index("ix_citizen_case_open_due", table_name="citizen_case")
