"""the days the reminder queue was actually shown

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30

Adds ``queue_seen``: one row per day the queue was shown (``netjournal due``, the app's Today
painted). A keep-in-touch item's show window counts only these days, so nothing retires
unseen. A new table: nothing to back-fill (a journal without rows is treated as never seen:
today's queue admits its budget).
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003"
down_revision: Union[str, None] = "0002"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('queue_seen',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('shown', sa.Integer(), nullable=False),
    sa.Column('seen_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('day')
    )


def downgrade() -> None:
    op.drop_table('queue_seen')
