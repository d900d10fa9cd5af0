"""A follow-up remembers the calendar event it came from (so a cancellation or a moved meeting
finds it on the next import)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: Union[str, None] = "0004"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # a nullable column: SQLite adds it in place (no table copy), PostgreSQL likewise
    op.add_column("followup", sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True))
    op.create_index(op.f("ix_followup_source"), "followup", ["source"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_followup_source"), table_name="followup")
    with op.batch_alter_table("followup") as batch:
        batch.drop_column("source")
