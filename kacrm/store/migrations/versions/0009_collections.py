"""collections: payment plans (回款计划), one row per instalment of an order (issue 17, SPEC §15)

A new table only: an order with instalments falls due instalment by instalment instead of order date + terms.
Manual credit holds and releases are kept in credit_review (manual rows with a "hold" key in their factors), so
nothing else changes and no row is touched.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "payment_schedule",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "order_id",
            sa.Integer(),
            sa.ForeignKey("orders.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("instalment", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("import_batch_id", sa.Integer(), nullable=True),
        sa.UniqueConstraint("order_id", "instalment", name="uq_payment_schedule_order_instalment"),
    )


def downgrade() -> None:
    op.drop_table("payment_schedule")
