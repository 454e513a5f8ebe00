"""the day a customer was added, whether a wedding anniversary has a year, the day a due item was marked (round 11)

``customer.added_on``: the day the customer was added as kacrm reads "today" when it was added: the command's
--as-of when given, else the local date. It starts the cadence of a customer never contacted and the pool clock
of one never touched; ``created_at`` keeps its meaning (the UTC moment the row was written). The customers already
stored get the local date (this machine's time zone) of their ``created_at``.

``contact.anniversary_has_year``: false for an anniversary given without a year (stored in the year 2000, like a
birthday without one). The anniversaries already stored were read with their year: they keep it (true).

``task.marked_on``: the day a `done` or `snooze` mark was made, as "today" read then, so that `due --as-of` an
earlier day does not apply it. The done marks already stored get their ``done_on`` (the day they were done);
snoozes made before stay NULL and keep counting whatever the day, as before.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def _local_day(value: object) -> date:
    """The local date of a stored UTC timestamp (SQLite: ISO text, naive; PostgreSQL: an aware datetime)."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().date()


def upgrade() -> None:
    with op.batch_alter_table("customer") as batch:
        batch.add_column(sa.Column("added_on", sa.Date(), nullable=True))
    with op.batch_alter_table("contact") as batch:
        batch.add_column(
            sa.Column(
                "anniversary_has_year", sa.Boolean(), nullable=False, server_default=sa.true()
            )
        )
    with op.batch_alter_table("task") as batch:
        batch.add_column(sa.Column("marked_on", sa.Date(), nullable=True))
    op.execute("UPDATE task SET marked_on = done_on WHERE item_id IS NOT NULL AND done_on IS NOT NULL")
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, created_at FROM customer")).fetchall()
    if rows:
        conn.execute(
            sa.text("UPDATE customer SET added_on = :day WHERE id = :id").bindparams(
                sa.bindparam("day", type_=sa.Date())
            ),
            [{"id": i, "day": _local_day(created)} for i, created in rows],
        )


def downgrade() -> None:
    with op.batch_alter_table("task") as batch:
        batch.drop_column("marked_on")
    with op.batch_alter_table("contact") as batch:
        batch.drop_column("anniversary_has_year")
    with op.batch_alter_table("customer") as batch:
        batch.drop_column("added_on")
