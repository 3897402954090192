"""add audit log

Revision ID: 5e8f3a1b9c62
Revises: 3c9e1f5a2d34
Create Date: 2026-09-16 11:47:58.316662

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e8f3a1b9c62'
down_revision = '3c9e1f5a2d34'
branch_labels = ('audit',)
depends_on = None


def upgrade():
    op.execute(
        """
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            happened_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
            actor VARCHAR(100) NOT NULL,
            action TEXT NOT NULL
        )
        """
    )
    op.execute("CREATE INDEX audit_log_happened_at ON audit_log (happened_at)")


def downgrade():
    op.execute("DROP INDEX audit_log_happened_at")
    op.execute("DROP TABLE audit_log")
