"""merge price history and audit log

Revision ID: 6a1c7d9e2f83
Revises: 4d2a6b8c1e57, 5e8f3a1b9c62
Create Date: 2026-09-20 08:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6a1c7d9e2f83'
down_revision = ('4d2a6b8c1e57', '5e8f3a1b9c62')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
