"""Contacts: the regular reception office and hours; public ids for reception rules and documents;
hotlines move from the site settings to the hotline table

Revision ID: 3952dab1d784
Revises: 4e8701ab642d
Create Date: 2026-11-27 09:55:00

"""
import secrets
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa

import portal.core.dbtypes


# revision identifiers, used by Alembic.
revision = '3952dab1d784'
down_revision = '4e8701ab642d'
branch_labels = None
depends_on = None


def _add_public_id(table):
    # Added nullable, filled row by row, then made required: staff URLs never carry the
    # sequential primary key.
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_id', sa.String(length=22), nullable=True))
    bind = op.get_bind()
    rows = bind.execute(sa.text(f'SELECT id FROM {table}')).scalars().all()
    for row_id in rows:
        bind.execute(
            sa.text(f'UPDATE {table} SET public_id = :public_id WHERE id = :id'),
            {'public_id': secrets.token_urlsafe(12), 'id': row_id},
        )
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.alter_column('public_id', existing_type=sa.String(length=22), nullable=False)
        batch_op.create_unique_constraint(batch_op.f(f'uq_{table}_public_id'), ['public_id'])


def _e164(value):
    digits = ''.join(ch for ch in value if ch.isdigit())
    if value.strip().startswith('+'):
        number = '+' + digits
    elif digits.startswith('0'):
        number = '+84' + digits[1:]
    else:
        return None
    return number if 8 <= len(number) <= 16 else None


def _move_hotline_settings():
    """Turn the old hotline settings, where a site has them, into hotline rows."""
    bind = op.get_bind()
    old = dict(
        bind.execute(
            sa.text(
                "SELECT key, value FROM site_setting "
                "WHERE key IN ('hotline', 'harassment_hotline', 'harassment_email')"
            )
        ).all()
    )
    hotline = sa.table(
        'hotline',
        *(sa.column(name, sa.String()) for name in (
            'public_id', 'label', 'label_en', 'purpose', 'purpose_en', 'phone_e164', 'email',
            'hours', 'hours_en',
        )),
        *(sa.column(name, sa.Boolean()) for name in ('is_harassment', 'is_main', 'published')),
        sa.column('position', sa.Integer()),
        sa.column('updated_at', portal.core.dbtypes.UTCDateTime()),
    )
    common = {
        'purpose': '', 'purpose_en': '', 'hours': '', 'hours_en': '', 'published': True,
        'updated_at': datetime.now(UTC),
    }
    rows = []
    if (old.get('hotline') or '').strip() and _e164(old['hotline']):
        rows.append({
            **common, 'public_id': secrets.token_urlsafe(12), 'label': 'Đường dây nóng',
            'label_en': 'Hotline', 'phone_e164': _e164(old['hotline']), 'email': None,
            'is_harassment': False, 'is_main': True, 'position': 10,
        })
    phone = _e164(old.get('harassment_hotline') or '')
    email = (old.get('harassment_email') or '').strip() or None
    if phone or email:
        rows.append({
            **common, 'public_id': secrets.token_urlsafe(12),
            'label': 'Đường dây nóng phản ánh nhũng nhiễu, tiêu cực, tham nhũng',
            'label_en': 'Hotline for reporting harassment and corruption',
            'phone_e164': phone, 'email': email, 'is_harassment': True, 'is_main': False,
            'position': 0,
        })
    if rows:
        op.bulk_insert(hotline, rows)
    bind.execute(
        sa.text(
            "DELETE FROM site_setting "
            "WHERE key IN ('hotline', 'harassment_hotline', 'harassment_email')"
        )
    )


def upgrade():
    op.create_table('reception_office',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('place_en', sa.String(length=300), nullable=False),
    sa.Column('morning_starts_at', sa.Time(), nullable=False),
    sa.Column('morning_ends_at', sa.Time(), nullable=False),
    sa.Column('afternoon_starts_at', sa.Time(), nullable=True),
    sa.Column('afternoon_ends_at', sa.Time(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('note_en', sa.Text(), nullable=False),
    sa.Column('updated_at', portal.core.dbtypes.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reception_office'))
    )
    _add_public_id('reception_document')
    _add_public_id('reception_rule')
    _move_hotline_settings()


def downgrade():
    with op.batch_alter_table('reception_rule', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_reception_rule_public_id'), type_='unique')
        batch_op.drop_column('public_id')

    with op.batch_alter_table('reception_document', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_reception_document_public_id'), type_='unique')
        batch_op.drop_column('public_id')

    op.drop_table('reception_office')
