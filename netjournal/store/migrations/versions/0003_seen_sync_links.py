"""Queue seen days, address-book sync, links between contacts

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30

One revision for this release's three new tables:

- ``queue_seen``: the days the reminder queue was actually shown
- ``vdir_link``: vdir sync: one row per contact synced with a card of a vdir folder
- ``contact_link``: relationships between contacts
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
    op.create_table(
        "vdir_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vdir", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("uid", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("filename", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("card_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("journal_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("base_json", sa.Text(), server_default="", nullable=False),
        sa.Column("synced_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("vdir", "uid", name="uq_vdir_link_uid"),
    )
    with op.batch_alter_table("vdir_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vdir_link_vdir"), ["vdir"], unique=False)
        batch_op.create_index(batch_op.f("ix_vdir_link_contact_id"), ["contact_id"], unique=False)
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
    with op.batch_alter_table("vdir_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vdir_link_contact_id"))
        batch_op.drop_index(batch_op.f("ix_vdir_link_vdir"))
    op.drop_table("vdir_link")
    op.drop_table('queue_seen')
