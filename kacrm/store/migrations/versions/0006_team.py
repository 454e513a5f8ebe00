"""one tier in force, and a team on one database (issue 15)

- ``owner``: the salespeople named in customers' ``owner``, with the email their digest goes to and a capacity;
- ``setting``: choices the whole team shares (the primary tier method, ``kacrm tier primary``);
- ``tier_pin``: pins per method. The pin stored in ``customer.tier_pinned`` moves there, under the method that
  ranks its tier (the customer's last method where that method's tiers hold it, else abc for A/B/C and pyramid for
  platinum…lead);
- ``digest_run`` gains ``recipient`` and ``owner``: periods are kept per recipient and scope. Earlier rows are the
  whole book's, recipient '' (a printed digest) or the address is unknown: they stay the whole book's record.

The tier in force becomes the primary method's (abc, the default) latest run plus its pins, whatever ran last: a
customer that only an rfm, clv or pyramid run reached has no tier in force until abc runs (or ``kacrm tier primary``
names another method, which re-derives it from that method's latest run). No run or snapshot is deleted.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# kacrm.domain as of this revision
_FAMILY = {"abc": ("A", "B", "C"), "clv": ("A", "B", "C"), "pyramid": ("platinum", "gold", "iron", "lead")}


def _pin_method(pin: str, last_method: str | None) -> str | None:
    if last_method in _FAMILY and pin in _FAMILY[last_method]:
        return last_method
    for method in ("abc", "pyramid"):
        if pin in _FAMILY[method]:
            return method
    return None


def upgrade() -> None:
    op.create_table(
        "owner",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("email", sa.String(), nullable=True),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "setting",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "tier_pin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(), nullable=False),
        sa.Column("tier", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("customer_id", "method"),
    )
    with op.batch_alter_table("digest_run") as batch:
        batch.add_column(sa.Column("recipient", sa.String(), nullable=False, server_default=""))
        batch.add_column(sa.Column("owner", sa.String(), nullable=False, server_default=""))
        batch.create_index("ix_digest_run_recipient", ["recipient"])

    conn = op.get_bind()
    pins = conn.execute(
        sa.text("SELECT id, tier_pinned, tier_method FROM customer WHERE tier_pinned IS NOT NULL")
    ).fetchall()
    moved = []
    for customer_id, pin, last_method in pins:
        method = _pin_method(pin, last_method)
        if method is not None:
            moved.append({"c": customer_id, "m": method, "t": pin})
    if moved:
        conn.execute(
            sa.text("INSERT INTO tier_pin (customer_id, method, tier) VALUES (:c, :m, :t)"), moved
        )
    # the tier in force: abc's latest run (its snapshots already hold abc's pins), and abc's pins
    latest = conn.execute(sa.text("SELECT MAX(id) FROM tier_run WHERE method = 'abc'")).scalar()
    conn.execute(sa.text("UPDATE customer SET tier = NULL, tier_method = NULL, tier_pinned = NULL"))
    if latest is not None:
        conn.execute(
            sa.text(
                "UPDATE customer SET tier = (SELECT s.tier FROM tier_snapshot s WHERE s.run_id = :run "
                "AND s.customer_id = customer.id), tier_method = 'abc' WHERE id IN "
                "(SELECT customer_id FROM tier_snapshot WHERE run_id = :run)"
            ),
            {"run": latest},
        )
    conn.execute(
        sa.text(
            "UPDATE customer SET tier_pinned = (SELECT p.tier FROM tier_pin p WHERE p.method = 'abc' "
            "AND p.customer_id = customer.id), tier = (SELECT p.tier FROM tier_pin p WHERE "
            "p.method = 'abc' AND p.customer_id = customer.id), tier_method = 'abc' "
            "WHERE id IN (SELECT customer_id FROM tier_pin WHERE method = 'abc')"
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("digest_run") as batch:
        batch.drop_index("ix_digest_run_recipient")
        batch.drop_column("owner")
        batch.drop_column("recipient")
    op.drop_table("tier_pin")
    op.drop_table("setting")
    op.drop_table("owner")
