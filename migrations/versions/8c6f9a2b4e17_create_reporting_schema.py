"""create reporting views

The reporting branch has its own root and needs the stock table.

Revision ID: 8c6f9a2b4e17
Revises: 
Create Date: 2026-10-05 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8c6f9a2b4e17'
down_revision = None
branch_labels = ('reporting',)
depends_on = '3c9e1f5a2d34'


def upgrade():
    op.execute("""
        CREATE VIEW stock_by_product AS
        SELECT product_id, SUM(quantity) AS quantity
        FROM stock_levels
        GROUP BY product_id
    """)


def downgrade():
    op.execute("DROP VIEW stock_by_product")
