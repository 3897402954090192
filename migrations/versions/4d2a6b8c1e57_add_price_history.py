"""add price history

Revision ID: 4d2a6b8c1e57
Revises: 3c9e1f5a2d34
Create Date: 2026-09-15 16:22:10.004519

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4d2a6b8c1e57'
down_revision = '3c9e1f5a2d34'
branch_labels = None
depends_on = None


def upgrade():
    op.execute(sa.text("""
        CREATE TABLE price_history (
            product_id INTEGER NOT NULL REFERENCES products (id),
            valid_from DATE NOT NULL,
            price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
            PRIMARY KEY (product_id, valid_from)
        )
    """))


def downgrade():
    op.execute(sa.text("DROP TABLE price_history"))
