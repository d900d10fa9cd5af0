"""touch and follow-up remember when they last changed

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

Adds ``updated_at`` (UTC) to touches and follow-ups, back-filled from ``created_at`` (and
``completed_at`` for follow-ups already closed), so that a refresh, an export or a sync can ask
"what changed since". Plain ADD COLUMN (no table rebuild) on SQLite and PostgreSQL alike.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: Union[str, None] = "0001"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

EPOCH = "1970-01-01 00:00:00"


def upgrade() -> None:
    op.add_column("touch", sa.Column("updated_at", sa.DateTime(), nullable=False, server_default=EPOCH))
    op.add_column("followup", sa.Column("updated_at", sa.DateTime(), nullable=False, server_default=EPOCH))
    op.execute("UPDATE touch SET updated_at = created_at")
    op.execute("UPDATE followup SET updated_at = coalesce(completed_at, created_at)")


def downgrade() -> None:
    with op.batch_alter_table("followup") as batch_op:
        batch_op.drop_column("updated_at")
    with op.batch_alter_table("touch") as batch_op:
        batch_op.drop_column("updated_at")
