"""Audit log: who did what to which thing and when; append-only (no UPDATE ever; DELETE only of rows older than a
day, which is what the retention prune does).

Revision ID: 0008
Revises: 0005
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0005"
branch_labels = None
depends_on = None

SQLITE_GUARDS = (
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
    "CREATE TRIGGER audit_log_no_early_delete BEFORE DELETE ON audit_log "
    "WHEN OLD.created_at > datetime('now', '-1 day') "
    "BEGIN SELECT RAISE(ABORT, 'audit entries younger than a day cannot be deleted'); END",
)
POSTGRES_GUARDS = (
    """CREATE FUNCTION audit_log_guard() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'the audit log is append-only';
      END IF;
      IF OLD.created_at > (now() AT TIME ZONE 'utc') - interval '1 day' THEN
        RAISE EXCEPTION 'audit entries younger than a day cannot be deleted';
      END IF;
      RETURN OLD;
    END $$ LANGUAGE plpgsql""",
    "CREATE TRIGGER audit_log_guard BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_guard()",
)


def upgrade():
    op.create_table(
        "audit_log", sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.String(80)), sa.Column("role", sa.String(20)), sa.Column("via", sa.String(20)),
        sa.Column("action", sa.String(40), nullable=False), sa.Column("target", sa.String(200)),
        sa.Column("status", sa.Integer), sa.Column("detail", sa.Text, nullable=False, server_default="{}"),
        sa.Column("ip", sa.String(64)))
    op.create_index("ix_audit_log_created_at", "audit_log", ["created_at"])
    op.create_index("ix_audit_log_actor", "audit_log", ["actor"])
    op.create_index("ix_audit_log_action", "audit_log", ["action"])
    guards = POSTGRES_GUARDS if op.get_bind().dialect.name == "postgresql" else SQLITE_GUARDS
    for statement in guards:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_guard ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_guard()")
    op.drop_table("audit_log")
