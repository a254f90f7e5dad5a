"""Seal TOTP secrets at rest: staff_user.totp_secret holds a Fernet token made with the
configured CASE_IDENTITY_KEY (as submitters' identities do), so a copy of the database alone
cannot generate sign-in codes. Existing secrets are sealed here; downgrade unseals them.

Revision ID: d8b05228c956
Revises: 1c9279c43439
Create Date: 2026-11-27 19:20:53.023047

"""
from alembic import op
import sqlalchemy as sa

import portal.core.dbtypes
from portal.core.sealing import seal_text, unseal_text


# revision identifiers, used by Alembic.
revision = 'd8b05228c956'
down_revision = '1c9279c43439'
branch_labels = None
depends_on = None

staff_user = sa.table("staff_user", sa.column("id", sa.Integer), sa.column("totp_secret", sa.String))


def _rewrite(change) -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(staff_user.c.id, staff_user.c.totp_secret).where(
            staff_user.c.totp_secret.is_not(None)
        )
    ).all()
    for user_id, value in rows:
        connection.execute(
            staff_user.update().where(staff_user.c.id == user_id).values(totp_secret=change(value))
        )


def upgrade():
    # A Fernet token of a 32-character base32 secret is 140 characters.
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.alter_column('totp_secret',
               existing_type=sa.VARCHAR(length=64),
               type_=sa.String(length=255),
               existing_nullable=True)
    _rewrite(seal_text)


def downgrade():
    _rewrite(unseal_text)
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.alter_column('totp_secret',
               existing_type=sa.String(length=255),
               type_=sa.VARCHAR(length=64),
               existing_nullable=True)
