"""Content changes: the log of article versions whose text must reach the content folder and the index.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "content_changes", sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_id", sa.String(200), nullable=False), sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False))
    op.create_index("ix_content_changes_article_id", "content_changes", ["article_id"])


def downgrade():
    op.drop_table("content_changes")
