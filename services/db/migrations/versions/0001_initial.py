"""Initial schema: contacts, suggestions, usage, feedback, review tasks, escalations, follow-ups, search events.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _id():
    return sa.Column("id", sa.Integer, primary_key=True)


def _fk(name, table, nullable=True, ondelete="SET NULL"):
    return sa.Column(name, sa.Integer, sa.ForeignKey(f"{table}.id", ondelete=ondelete), nullable=nullable)


def upgrade():
    op.create_table(
        "contacts", _id(), sa.Column("contact_ref", sa.String(120), unique=True),
        sa.Column("channel", sa.String(20), nullable=False), sa.Column("customer_type", sa.String(40), nullable=False),
        sa.Column("lang", sa.String(5), nullable=False), sa.Column("category", sa.String(40), nullable=False),
        sa.Column("intent", sa.String(40), nullable=False), sa.Column("topic", sa.String(120), nullable=False),
        sa.Column("products", sa.Text, nullable=False), sa.Column("subject", sa.Text, nullable=False),
        sa.Column("top_article", sa.String(200)), sa.Column("top_confidence", sa.Float),
        sa.Column("escalation_path", sa.String(60)), sa.Column("created_at", sa.DateTime, nullable=False))
    for col in ("category", "intent", "topic", "created_at"):
        op.create_index(f"ix_contacts_{col}", "contacts", [col])
    op.create_table(
        "suggestions", _id(), _fk("contact_id", "contacts", False, "CASCADE"),
        sa.Column("article_id", sa.String(200), nullable=False), sa.Column("rank", sa.Integer, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False), sa.Column("created_at", sa.DateTime, nullable=False))
    op.create_index("ix_suggestions_contact_id", "suggestions", ["contact_id"])
    op.create_table(
        "usage", _id(), _fk("contact_id", "contacts"), sa.Column("article_id", sa.String(200), nullable=False),
        sa.Column("action", sa.String(20), nullable=False), sa.Column("created_at", sa.DateTime, nullable=False))
    for col in ("contact_id", "article_id", "created_at"):
        op.create_index(f"ix_usage_{col}", "usage", [col])
    op.create_table(
        "feedback", _id(), sa.Column("article_id", sa.String(200), nullable=False), _fk("contact_id", "contacts"),
        sa.Column("query", sa.Text), sa.Column("helpful", sa.Boolean, nullable=False), sa.Column("flag", sa.String(20)),
        sa.Column("comment", sa.Text), sa.Column("created_at", sa.DateTime, nullable=False))
    op.create_index("ix_feedback_article_id", "feedback", ["article_id"])
    op.create_index("ix_feedback_created_at", "feedback", ["created_at"])
    op.create_table(
        "review_tasks", _id(), sa.Column("article_id", sa.String(200), nullable=False), sa.Column("owner", sa.String(120)),
        sa.Column("reason", sa.Text, nullable=False), _fk("feedback_id", "feedback"),
        sa.Column("status", sa.String(20), nullable=False), sa.Column("created_at", sa.DateTime, nullable=False))
    op.create_index("ix_review_tasks_article_id", "review_tasks", ["article_id"])
    op.create_table(
        "escalations", _id(), _fk("contact_id", "contacts"), sa.Column("path_id", sa.String(60), nullable=False),
        sa.Column("team", sa.String(120), nullable=False), sa.Column("reason", sa.Text, nullable=False),
        sa.Column("question", sa.Text, nullable=False), sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False), sa.Column("due_at", sa.DateTime, nullable=False),
        sa.Column("answered_at", sa.DateTime), sa.Column("answered_by", sa.String(120)), sa.Column("answer", sa.Text),
        sa.Column("draft_article_id", sa.String(200)))
    for col in ("contact_id", "status", "due_at"):
        op.create_index(f"ix_escalations_{col}", "escalations", [col])
    op.create_table(
        "followups", _id(), _fk("contact_id", "contacts"), _fk("escalation_id", "escalations"),
        sa.Column("kind", sa.String(40), nullable=False), sa.Column("due_date", sa.Date, nullable=False),
        sa.Column("status", sa.String(20), nullable=False), sa.Column("done_at", sa.DateTime), sa.Column("note", sa.Text),
        sa.Column("created_at", sa.DateTime, nullable=False))
    op.create_index("ix_followups_contact_id", "followups", ["contact_id"])
    op.create_index("ix_followups_due_date", "followups", ["due_date"])
    op.create_table(
        "search_events", _id(), sa.Column("kind", sa.String(20), nullable=False), sa.Column("query", sa.Text, nullable=False),
        sa.Column("filters", sa.Text, nullable=False), sa.Column("results", sa.Text, nullable=False),
        sa.Column("hits", sa.Integer, nullable=False), sa.Column("top_confidence", sa.Float),
        sa.Column("contact_id", sa.Integer), sa.Column("used_article", sa.String(200)),
        sa.Column("created_at", sa.DateTime, nullable=False))
    op.create_index("ix_search_events_created_at", "search_events", ["created_at"])


def downgrade():
    for table in ("search_events", "followups", "escalations", "review_tasks", "feedback", "usage", "suggestions",
                  "contacts"):
        op.drop_table(table)
