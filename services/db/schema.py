"""Tables of the contact, suggestion, feedback, escalation and usage database (SQLAlchemy Core).

Alembic migrations in ``migrations/`` create them; this module is what the code reads and writes with.
"""

from sqlalchemy import (Boolean, Column, Date, DateTime, Float, ForeignKey, Integer, MetaData, String, Table, Text,
                        UniqueConstraint)

metadata = MetaData()

contacts = Table(
    "contacts", metadata,
    Column("id", Integer, primary_key=True),
    Column("contact_ref", String(120), unique=True, nullable=True),
    Column("channel", String(20), nullable=False),
    Column("customer_type", String(40), nullable=False),
    Column("lang", String(5), nullable=False),
    Column("category", String(40), nullable=False, index=True),
    Column("intent", String(40), nullable=False, index=True),
    Column("topic", String(120), nullable=False, index=True),
    Column("products", Text, nullable=False, default="[]"),
    Column("subject", Text, nullable=False, default=""),
    Column("top_article", String(200)),
    Column("top_confidence", Float),
    Column("escalation_path", String(60)),
    Column("created_at", DateTime, nullable=False, index=True),
    Column("text_redacted", Text),  # 0003: the ticket with personal data removed, for practice mode
    Column("customer_key", String(64), index=True),  # 0009: hash of the ticket system's customer id (repeat contacts)
)

suggestions = Table(
    "suggestions", metadata,
    Column("id", Integer, primary_key=True),
    Column("contact_id", Integer, ForeignKey("contacts.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("article_id", String(200), nullable=False),
    Column("rank", Integer, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("created_at", DateTime, nullable=False),
)

usage = Table(
    "usage", metadata,
    Column("id", Integer, primary_key=True),
    Column("contact_id", Integer, ForeignKey("contacts.id", ondelete="SET NULL"), index=True),
    Column("article_id", String(200), nullable=False, index=True),
    Column("action", String(20), nullable=False),
    Column("created_at", DateTime, nullable=False, index=True),
)

feedback = Table(
    "feedback", metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", String(200), nullable=False, index=True),
    Column("contact_id", Integer, ForeignKey("contacts.id", ondelete="SET NULL")),
    Column("query", Text),
    Column("helpful", Boolean, nullable=False),
    Column("flag", String(20)),
    Column("comment", Text),
    Column("created_at", DateTime, nullable=False, index=True),
    Column("created_by", String(80)),  # 0005: who gave the feedback (flags from the pages are never anonymous)
)

review_tasks = Table(
    "review_tasks", metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", String(200), nullable=False, index=True),
    Column("owner", String(120)),
    Column("reason", Text, nullable=False),
    Column("feedback_id", Integer, ForeignKey("feedback.id", ondelete="SET NULL")),
    Column("status", String(20), nullable=False, default="open"),
    Column("created_at", DateTime, nullable=False),
)

escalations = Table(
    "escalations", metadata,
    Column("id", Integer, primary_key=True),
    Column("contact_id", Integer, ForeignKey("contacts.id", ondelete="SET NULL"), index=True),
    Column("path_id", String(60), nullable=False),
    Column("team", String(120), nullable=False),
    Column("reason", Text, nullable=False),
    Column("question", Text, nullable=False, default=""),
    Column("status", String(20), nullable=False, default="open", index=True),
    Column("created_at", DateTime, nullable=False),
    Column("due_at", DateTime, nullable=False, index=True),
    Column("answered_at", DateTime),
    Column("answered_by", String(120)),
    Column("answer", Text),
    Column("draft_article_id", String(200)),
    Column("opened_by", String(80)),  # 0005
    Column("steps_tried", Text),  # 0009: what the guided troubleshooting already tried, for the engineer
)

followups = Table(
    "followups", metadata,
    Column("id", Integer, primary_key=True),
    Column("contact_id", Integer, ForeignKey("contacts.id", ondelete="SET NULL"), index=True),
    Column("escalation_id", Integer, ForeignKey("escalations.id", ondelete="SET NULL")),
    Column("kind", String(40), nullable=False),
    Column("due_date", Date, nullable=False, index=True),
    Column("status", String(20), nullable=False, default="due"),
    Column("done_at", DateTime),
    Column("note", Text),
    Column("created_at", DateTime, nullable=False),
    Column("outcome", String(20)),  # 0005: how the follow-up call ended
)

search_events = Table(
    "search_events", metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("query", Text, nullable=False),
    Column("filters", Text, nullable=False, default="{}"),
    Column("results", Text, nullable=False, default="[]"),
    Column("hits", Integer, nullable=False, default=0),
    Column("top_confidence", Float),
    Column("contact_id", Integer),
    Column("used_article", String(200)),
    Column("created_at", DateTime, nullable=False, index=True),
)

users = Table(
    "users", metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(80), unique=True, nullable=False),
    Column("name", String(200), nullable=False, default=""),
    Column("role", String(20), nullable=False),
    Column("password_hash", String(300), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime, nullable=False),
    Column("categories", Text, nullable=False, default=""),  # 0003: categories a person works on ("" = all)
    Column("locale", String(10)),  # 0005: the language of the pages for this person (None: the browser's)
)

api_tokens = Table(
    "api_tokens", metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("name", String(120), nullable=False),
    Column("token_hash", String(64), unique=True, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("last_used_at", DateTime),
    Column("revoked_at", DateTime),
)

article_versions = Table(
    "article_versions", metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", String(200), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("status", String(20), nullable=False),
    Column("author", String(80), nullable=False),
    Column("comment", Text, nullable=False, default=""),
    Column("important", Boolean, nullable=False, default=False),
    Column("created_at", DateTime, nullable=False),
    UniqueConstraint("article_id", "version", name="uq_article_versions_article_version"),
)

# -- training (migration 0003) ---------------------------------------------------------------------------------------

reading_progress = Table(
    "reading_progress", metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("article_id", String(200), nullable=False),
    Column("read_at", DateTime, nullable=False),
    UniqueConstraint("user_id", "article_id", name="uq_reading_progress_user_article"),
)

quizzes = Table(
    "quizzes", metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("category", String(40), nullable=False),
    Column("questions", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("submitted_at", DateTime),
    Column("score", Integer),
    Column("total", Integer, nullable=False),
    Column("passed", Boolean),
    Column("answers", Text),
)

required_reading = Table(
    "required_reading", metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", String(200), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("assigned_by", String(80), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("acknowledged_at", DateTime),
    UniqueConstraint("article_id", "version", "user_id", name="uq_required_reading_once"),
)

# -- content changes (migration 0004) --------------------------------------------------------------------------------

content_changes = Table(
    "content_changes", metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", String(200), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("created_at", DateTime, nullable=False),
)

# -- audit log (migration 0008) --------------------------------------------------------------------------------------

audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True),
    Column("created_at", DateTime, nullable=False, index=True),
    Column("actor", String(80), index=True),  # username; None for an anonymous attempt
    Column("role", String(20)),
    Column("via", String(20)),  # session, token, embed, cli
    Column("action", String(40), nullable=False, index=True),
    Column("target", String(200)),
    Column("status", Integer),  # the HTTP status of the request (None from the CLI)
    Column("detail", Text, nullable=False, default="{}"),
    Column("ip", String(64)),
)

# -- guided troubleshooting, reply drafts (migration 0009) -----------------------------------------------------------

guide_runs = Table(
    "guide_runs", metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", String(200), nullable=False, index=True),
    Column("contact_id", Integer, ForeignKey("contacts.id", ondelete="SET NULL"), index=True),
    Column("username", String(80)),
    Column("product", String(60)),
    Column("error_code", String(20)),
    Column("steps", Integer, nullable=False),
    Column("step", Integer, nullable=False),  # where the run is (or ended)
    Column("path", Text, nullable=False),  # JSON [[step, answer], ...]
    Column("outcome", String(20)),  # resolved, left, escalated; None while the call goes on (or was dropped)
    Column("escalation_id", Integer, ForeignKey("escalations.id", ondelete="SET NULL")),
    Column("started_at", DateTime, nullable=False, index=True),
    Column("updated_at", DateTime, nullable=False),
    Column("finished_at", DateTime),
)

drafts = Table(
    "drafts", metadata,
    Column("id", Integer, primary_key=True),
    Column("contact_id", Integer, ForeignKey("contacts.id", ondelete="SET NULL"), index=True),
    Column("article_id", String(200)),
    Column("mode", String(20), nullable=False),
    Column("lang", String(5), nullable=False),
    Column("channel", String(20), nullable=False),
    Column("text", Text, nullable=False),
    Column("sources", Text, nullable=False),  # JSON: each sentence with its source
    Column("username", String(80)),
    Column("created_at", DateTime, nullable=False, index=True),
)

draft_events = Table(
    "draft_events", metadata,
    Column("id", Integer, primary_key=True),
    Column("draft_id", Integer, ForeignKey("drafts.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("action", String(20), nullable=False),  # copied, edited, used, sent
    Column("text", Text),  # the edited text
    Column("created_at", DateTime, nullable=False),
)
