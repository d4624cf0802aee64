"""Server-side login sessions; follow-up events marked entered-in-error; cohort jobs per team.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "login_sessions",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False, index=True),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("last_seen_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False, index=True),
        sa.Column("revoked_at", TS, nullable=True),
        sa.Column("client", sa.String(64), nullable=True),
    )
    with op.batch_alter_table("followup_events") as batch:
        batch.add_column(sa.Column("entered_in_error_at", TS, nullable=True))
        batch.add_column(
            sa.Column(
                "entered_in_error_by",
                sa.Integer,
                sa.ForeignKey("users.id", name="fk_followup_events_entered_in_error_by"),
                nullable=True,
            )
        )
        batch.add_column(sa.Column("entered_in_error_reason", sa.String(500), nullable=True))
    with op.batch_alter_table("cohort_jobs") as batch:
        batch.add_column(
            sa.Column(
                "team_id",
                sa.Integer,
                sa.ForeignKey("teams.id", name="fk_cohort_jobs_team_id"),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("cohort_jobs") as batch:
        batch.drop_constraint("fk_cohort_jobs_team_id", type_="foreignkey")
        batch.drop_column("team_id")
    with op.batch_alter_table("followup_events") as batch:
        batch.drop_constraint("fk_followup_events_entered_in_error_by", type_="foreignkey")
        batch.drop_column("entered_in_error_reason")
        batch.drop_column("entered_in_error_by")
        batch.drop_column("entered_in_error_at")
    op.drop_table("login_sessions")
