"""every interaction has a key: those entered by hand get ``log-<id>``

Interactions imported from a file are keyed by their content (``~`` + a hash); those entered with `kacrm log` or
`kacrm done` had no key. `kacrm export interactions` now writes the key and `kacrm import` matches on it, so that
importing an export back changes nothing: before, each hand-entered interaction came back as a new row (its content
key matched nothing), and an imported complaint resolved since then did too (its content had changed). New rows
get ``log-`` + 16 random hex digits (kacrm.store.models.Interaction); this fills in the rows already stored.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("UPDATE interaction SET key = 'log-' || CAST(id AS VARCHAR) WHERE key IS NULL")


def downgrade() -> None:
    op.execute("UPDATE interaction SET key = NULL WHERE key LIKE 'log-%'")
