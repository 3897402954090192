"""add low stock view

Revision ID: 9d8a1b3c5f20
Revises: 8c6f9a2b4e17
Create Date: 2026-10-12 17:45:12.090807

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9d8a1b3c5f20'
down_revision = '8c6f9a2b4e17'
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        'CREATE VIEW low_stock AS '
        'SELECT p.id, p.name, s.quantity '
        'FROM products p JOIN stock_by_product s ON s.product_id = p.id '
        'WHERE s.quantity < 10'
    )


def downgrade():
    op.execute('DROP VIEW low_stock')
