"""add product sku

Revision ID: 7b4e2f8a3d95
Revises: 6a1c7d9e2f83
Create Date: 2026-10-02 13:14:15.161718

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = "7b4e2f8a3d95"
down_revision: Union[str, Sequence[str], None] = "6a1c7d9e2f83"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.execute("ALTER TABLE products ADD COLUMN sku VARCHAR(32)")
    op.execute("CREATE UNIQUE INDEX products_sku ON products (sku)")


def downgrade() -> None:
    op.execute("DROP INDEX products_sku")
    op.execute("ALTER TABLE products DROP COLUMN sku")
