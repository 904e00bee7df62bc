"""Training: reading progress, quizzes, required reading; user categories; redacted ticket text for practice.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _user_fk():
    return sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False)


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("categories", sa.Text, nullable=False, server_default=""))
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(sa.Column("text_redacted", sa.Text))
    op.create_table(
        "reading_progress", sa.Column("id", sa.Integer, primary_key=True), _user_fk(),
        sa.Column("article_id", sa.String(200), nullable=False), sa.Column("read_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("user_id", "article_id", name="uq_reading_progress_user_article"))
    op.create_index("ix_reading_progress_user_id", "reading_progress", ["user_id"])
    op.create_table(
        "quizzes", sa.Column("id", sa.Integer, primary_key=True), _user_fk(),
        sa.Column("category", sa.String(40), nullable=False), sa.Column("questions", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False), sa.Column("submitted_at", sa.DateTime),
        sa.Column("score", sa.Integer), sa.Column("total", sa.Integer, nullable=False), sa.Column("passed", sa.Boolean),
        sa.Column("answers", sa.Text))
    op.create_index("ix_quizzes_user_id", "quizzes", ["user_id"])
    op.create_table(
        "required_reading", sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_id", sa.String(200), nullable=False), sa.Column("version", sa.Integer, nullable=False),
        _user_fk(), sa.Column("assigned_by", sa.String(80), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False), sa.Column("acknowledged_at", sa.DateTime),
        sa.UniqueConstraint("article_id", "version", "user_id", name="uq_required_reading_once"))
    op.create_index("ix_required_reading_article_id", "required_reading", ["article_id"])
    op.create_index("ix_required_reading_user_id", "required_reading", ["user_id"])


def downgrade():
    for table in ("required_reading", "quizzes", "reading_progress"):
        op.drop_table(table)
    with op.batch_alter_table("contacts") as batch:
        batch.drop_column("text_redacted")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("categories")
