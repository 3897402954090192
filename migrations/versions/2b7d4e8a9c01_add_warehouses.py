"""add warehouses

Revision ID: 2b7d4e8a9c01
Revises: 1f3a9c2e7b10
Create Date: 2026-09-03 14:40:02.551207

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2b7d4e8a9c01'
down_revision = '1f3a9c2e7b10'
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        "CREATE TABLE warehouses ("
        " id INTEGER PRIMARY KEY,"
        " code VARCHAR(16) NOT NULL UNIQUE,"
        " city VARCHAR(100))"
    )


def downgrade():
    op.execute("DROP TABLE warehouses")
