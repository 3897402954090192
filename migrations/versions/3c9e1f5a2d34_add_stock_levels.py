"""add stock levels

Quantity on hand per product and warehouse.

Revision ID: 3c9e1f5a2d34
Revises: 2b7d4e8a9c01
Create Date: 2026-09-08 10:05:37.880411

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3c9e1f5a2d34'
down_revision = '2b7d4e8a9c01'
branch_labels = None
depends_on = None


def upgrade():
    op.execute('''
        CREATE TABLE stock_levels (
            product_id INTEGER NOT NULL REFERENCES products (id),
            warehouse_id INTEGER NOT NULL REFERENCES warehouses (id),
            quantity INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (product_id, warehouse_id)
        )
    ''')


def downgrade():
    op.execute('DROP TABLE stock_levels')
