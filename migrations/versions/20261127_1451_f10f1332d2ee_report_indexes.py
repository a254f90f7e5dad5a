"""Report indexes: each date the statistics count by, with what its pass counts and groups by

The statistics (portal/reports/stats.py) count each figure on its own date, one pass per date
over the cases whose date falls in the period, grouped by kind, topic, unit, status or channel.
On PostgreSQL the indexes on received_on, accepted_on, ended_on and resolved_on are built again
with those columns included (INCLUDE), so a year of a million cases is read from the indexes
alone, never from the table; their names and keys stay, so SQLite (which has no INCLUDE)
keeps them as they are. Ratings get a partial index of their own, on both databases.

Revision ID: f10f1332d2ee
Revises: 6a5f3d1ae363
Create Date: 2026-11-27 14:51:34.472720

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "f10f1332d2ee"
down_revision = "6a5f3d1ae363"
branch_labels = None
depends_on = None

DIMENSIONS = ["kind", "topic", "handling_unit_id", "status", "channel"]
# The dates and what each index includes on PostgreSQL.
DATES = {
    "received_on": DIMENSIONS,
    "accepted_on": DIMENSIONS,
    "ended_on": DIMENSIONS,
    "resolved_on": ["resolution_due_on", "received_on", *DIMENSIONS],
}
RATED = "rated_at IS NOT NULL"


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    if _postgresql():
        for column, included in DATES.items():
            name = f"ix_citizen_case_{column}"
            op.drop_index(name, table_name="citizen_case")
            op.create_index(name, "citizen_case", [column], postgresql_include=included)
    op.create_index(
        "ix_citizen_case_rated_at",
        "citizen_case",
        ["rated_at"],
        postgresql_include=["rating", "solved", *DIMENSIONS],
        postgresql_where=sa.text(RATED),
        sqlite_where=sa.text(RATED),
    )


def downgrade():
    op.drop_index("ix_citizen_case_rated_at", table_name="citizen_case")
    if _postgresql():
        for column in reversed(DATES):
            name = f"ix_citizen_case_{column}"
            op.drop_index(name, table_name="citizen_case")
            op.create_index(name, "citizen_case", [column])
