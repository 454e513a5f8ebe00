"""the public pool (公海, issue 18): the day the owner got the account, the lock, the ownership history

Nothing is released by the upgrade: ``owner_since`` stays NULL for the owners already set (the pool clock then
counts from the customer's creation, its last order and its last interaction), and no account is locked.

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN, no batch: SQLite would copy the customer table, and dropping the old copy cascades
    # (foreign keys are on) to every contact, order and interaction
    op.add_column("customer", sa.Column("owner_since", sa.Date(), nullable=True))
    op.add_column(
        "customer",
        sa.Column("pool_locked", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "ownership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("changed_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("owner", sa.String(), nullable=True),
        sa.Column("previous_owner", sa.String(), nullable=True),
        sa.Column("note", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_ownership_customer_id", "ownership", ["customer_id"])


def downgrade() -> None:
    op.drop_index("ix_ownership_customer_id", table_name="ownership")
    op.drop_table("ownership")
    with op.batch_alter_table("customer") as batch:
        batch.drop_column("pool_locked")
        batch.drop_column("owner_since")
