"""vdir sync: one row per contact synced with a card of a vdir folder

Revision ID: 0005
Revises: 0002
Create Date: 2026-11-30

``vdir_link`` keeps, per synced contact, the folder, the card's UID and file name, the hash of
the card as last synced, a digest of the journal's synced values as
left by the sync, and the synced fields as last agreed (the three-way merge base).
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: Union[str, None] = "0003"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
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


def downgrade() -> None:
    with op.batch_alter_table("vdir_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vdir_link_contact_id"))
        batch_op.drop_index(batch_op.f("ix_vdir_link_vdir"))
    op.drop_table("vdir_link")
