"""Login attempts in the database, so that the login limits hold across server processes.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("at", sa.Float, nullable=False, index=True),
    )
    op.create_index("ix_login_attempts_kind_key_at", "login_attempts", ["kind", "key", "at"])


def downgrade() -> None:
    op.drop_index("ix_login_attempts_kind_key_at", table_name="login_attempts")
    op.drop_table("login_attempts")
