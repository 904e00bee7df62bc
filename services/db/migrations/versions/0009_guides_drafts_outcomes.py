"""Guided troubleshooting runs, reply drafts and their events, and the outcome signals ranking learns from (with the
follow-up call's outcome of revision 0005): the customer behind a contact (to see repeat contacts), the steps an
escalation tried.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _contact_fk():
    return sa.Column("contact_id", sa.Integer, sa.ForeignKey("contacts.id", ondelete="SET NULL"))


def upgrade():
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(sa.Column("customer_key", sa.String(64)))
    op.create_index("ix_contacts_customer_key", "contacts", ["customer_key"])
    with op.batch_alter_table("escalations") as batch:
        batch.add_column(sa.Column("steps_tried", sa.Text))
    op.create_table(
        "guide_runs", sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_id", sa.String(200), nullable=False), _contact_fk(),
        sa.Column("username", sa.String(80)), sa.Column("product", sa.String(60)), sa.Column("error_code", sa.String(20)),
        sa.Column("steps", sa.Integer, nullable=False), sa.Column("step", sa.Integer, nullable=False),
        sa.Column("path", sa.Text, nullable=False), sa.Column("outcome", sa.String(20)),
        sa.Column("escalation_id", sa.Integer, sa.ForeignKey("escalations.id", ondelete="SET NULL")),
        sa.Column("started_at", sa.DateTime, nullable=False), sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("finished_at", sa.DateTime))
    op.create_index("ix_guide_runs_article_id", "guide_runs", ["article_id"])
    op.create_index("ix_guide_runs_contact_id", "guide_runs", ["contact_id"])
    op.create_index("ix_guide_runs_started_at", "guide_runs", ["started_at"])
    op.create_table(
        "drafts", sa.Column("id", sa.Integer, primary_key=True), _contact_fk(),
        sa.Column("article_id", sa.String(200)), sa.Column("mode", sa.String(20), nullable=False),
        sa.Column("lang", sa.String(5), nullable=False), sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("text", sa.Text, nullable=False), sa.Column("sources", sa.Text, nullable=False),
        sa.Column("username", sa.String(80)), sa.Column("created_at", sa.DateTime, nullable=False))
    op.create_index("ix_drafts_contact_id", "drafts", ["contact_id"])
    op.create_index("ix_drafts_created_at", "drafts", ["created_at"])
    op.create_table(
        "draft_events", sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("draft_id", sa.Integer, sa.ForeignKey("drafts.id", ondelete="CASCADE"), nullable=False),
        sa.Column("action", sa.String(20), nullable=False), sa.Column("text", sa.Text),
        sa.Column("created_at", sa.DateTime, nullable=False))
    op.create_index("ix_draft_events_draft_id", "draft_events", ["draft_id"])


def downgrade():
    for table in ("draft_events", "drafts", "guide_runs"):
        op.drop_table(table)
    with op.batch_alter_table("escalations") as batch:
        batch.drop_column("steps_tried")
    op.drop_index("ix_contacts_customer_key", "contacts")
    with op.batch_alter_table("contacts") as batch:
        batch.drop_column("customer_key")
