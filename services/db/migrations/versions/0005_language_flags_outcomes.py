"""Each person's page language; who flagged an article; who opened an escalation; a follow-up call's outcome.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("locale", sa.String(10)))
    with op.batch_alter_table("feedback") as batch:
        batch.add_column(sa.Column("created_by", sa.String(80)))
    with op.batch_alter_table("escalations") as batch:
        batch.add_column(sa.Column("opened_by", sa.String(80)))
    with op.batch_alter_table("followups") as batch:
        batch.add_column(sa.Column("outcome", sa.String(20)))


def downgrade():
    with op.batch_alter_table("followups") as batch:
        batch.drop_column("outcome")
    with op.batch_alter_table("escalations") as batch:
        batch.drop_column("opened_by")
    with op.batch_alter_table("feedback") as batch:
        batch.drop_column("created_by")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("locale")
