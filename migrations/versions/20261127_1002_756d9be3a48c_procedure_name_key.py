"""Procedures: a folded name key, so lists sort Vietnamese names as readers expect

Revision ID: 756d9be3a48c
Revises: 3952dab1d784
Create Date: 2026-11-27 10:02:36.133969

"""
from alembic import op
import sqlalchemy as sa

from portal.core.text import fold


# revision identifiers, used by Alembic.
revision = '756d9be3a48c'
down_revision = '3952dab1d784'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('procedure', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_key', sa.String(length=500), server_default='', nullable=False))
    # Fill the key of procedures that already exist; the services keep it up to date after.
    bind = op.get_bind()
    for row_id, name in bind.execute(sa.text('SELECT id, name FROM procedure')).all():
        bind.execute(
            sa.text('UPDATE procedure SET name_key = :key WHERE id = :id'),
            {'key': fold(name)[:500], 'id': row_id},
        )


def downgrade():
    with op.batch_alter_table('procedure', schema=None) as batch_op:
        batch_op.drop_column('name_key')
