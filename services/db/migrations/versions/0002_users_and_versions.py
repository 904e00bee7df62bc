"""Users, API tokens and article versions (writers' workflow).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "users", sa.Column("id", sa.Integer, primary_key=True), sa.Column("username", sa.String(80), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False), sa.Column("role", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.String(300), nullable=False), sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False))
    op.create_table(
        "api_tokens", sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(120), nullable=False), sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime, nullable=False), sa.Column("last_used_at", sa.DateTime),
        sa.Column("revoked_at", sa.DateTime))
    op.create_index("ix_api_tokens_user_id", "api_tokens", ["user_id"])
    op.create_table(
        "article_versions", sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_id", sa.String(200), nullable=False), sa.Column("version", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False), sa.Column("status", sa.String(20), nullable=False),
        sa.Column("author", sa.String(80), nullable=False), sa.Column("comment", sa.Text, nullable=False),
        sa.Column("important", sa.Boolean, nullable=False), sa.Column("created_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("article_id", "version", name="uq_article_versions_article_version"))
    op.create_index("ix_article_versions_article_id", "article_versions", ["article_id"])


def downgrade():
    for table in ("article_versions", "api_tokens", "users"):
        op.drop_table(table)
