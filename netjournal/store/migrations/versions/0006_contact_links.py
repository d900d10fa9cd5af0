"""relationships between contacts

Revision ID: 0006
Revises: 0002
Create Date: 2026-11-30

Adds ``contact_link``: typed links between two contacts (partner, parent, colleague at a
company, introduced by…), deleted with either contact.
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: Union[str, None] = "0005"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        "contact_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("a_id", sa.Integer(), nullable=False),
        sa.Column("b_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("company", sa.String(length=500), nullable=False),
        sa.Column("since", sa.Date(), nullable=True),
        sa.Column("touch_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["a_id"], ["contact.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["b_id"], ["contact.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["touch_id"], ["touch.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("a_id", "b_id", "kind", "label", name="uq_contact_link"),
    )
    op.create_index(op.f("ix_contact_link_a_id"), "contact_link", ["a_id"], unique=False)
    op.create_index(op.f("ix_contact_link_b_id"), "contact_link", ["b_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_contact_link_b_id"), table_name="contact_link")
    op.drop_index(op.f("ix_contact_link_a_id"), table_name="contact_link")
    op.drop_table("contact_link")
