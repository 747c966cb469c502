"""insights.subject_key and insights.edited_at: one open draft per subject, merged into by processing

`subject_key` is what an extracted insight is about (product, kind and normalised name); the partial
unique index allows one open draft (status draft, never edited by a person) per subject and workspace,
so concurrent jobs cannot create two. `edited_at` is set by user updates and takes an insight out of
merging.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

OPEN_DRAFT = sa.text("status = 'draft' AND edited_at IS NULL AND subject_key IS NOT NULL")


def upgrade() -> None:
    with op.batch_alter_table("insights", schema=None) as batch_op:
        batch_op.add_column(sa.Column("subject_key", sa.String(length=200), nullable=True))
        batch_op.add_column(
            sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True)
        )
    op.create_index(
        "uq_insights_open_subject",
        "insights",
        ["workspace_id", "subject_key"],
        unique=True,
        sqlite_where=OPEN_DRAFT,
        postgresql_where=OPEN_DRAFT,
    )


def downgrade() -> None:
    op.drop_index("uq_insights_open_subject", table_name="insights")
    with op.batch_alter_table("insights", schema=None) as batch_op:
        batch_op.drop_column("edited_at")
        batch_op.drop_column("subject_key")
