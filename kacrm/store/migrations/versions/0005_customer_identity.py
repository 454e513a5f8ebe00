"""customer identity: the name key, the short name and the unified social credit code (issue 14)

Imports match a customer by its USCC (统一社会信用代码), then by its name or short name (简称) compared on a key
that ignores full/half width, case and spaces, so that 华为（集团） and 华为(集团) are one customer. The key of the
rows already stored is computed here from their names; nothing else changes. Chinese mobiles written ``+86…`` are
stored as their 11 digits from now on (kacrm.values.parse_phone): those already stored are rewritten the same way,
so that the next import of the same number is not counted as a change.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _name_key(name: str) -> str:
    """kacrm.values.name_key as of this revision (a migration does not follow later changes of the code)."""
    return "".join(unicodedata.normalize("NFKC", name).casefold().split())


def upgrade() -> None:
    with op.batch_alter_table("customer") as batch:
        batch.add_column(sa.Column("name_key", sa.String(), nullable=True))
        batch.add_column(sa.Column("short_name", sa.String(), nullable=True))
        batch.add_column(sa.Column("uscc", sa.String(), nullable=True))
        batch.create_index("ix_customer_name_key", ["name_key"])
        batch.create_index("ix_customer_uscc", ["uscc"])
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, name FROM customer")).fetchall()
    if rows:
        conn.execute(
            sa.text("UPDATE customer SET name_key = :key WHERE id = :id"),
            [{"id": i, "key": _name_key(name)} for i, name in rows],
        )
    for table in ("customer", "contact"):
        op.execute(
            f"UPDATE {table} SET phone = SUBSTR(phone, 4) "
            "WHERE phone LIKE '+861%' AND LENGTH(phone) = 14"
        )


def downgrade() -> None:
    with op.batch_alter_table("customer") as batch:
        batch.drop_index("ix_customer_uscc")
        batch.drop_index("ix_customer_name_key")
        batch.drop_column("uscc")
        batch.drop_column("short_name")
        batch.drop_column("name_key")
