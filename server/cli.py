"""``python -m server users add|list``, ``tokens create|revoke``, ``routes``, ``import``/``export`` (as
``python -m kb``'s, but recorded in the audit log) and ``update``: the first admin, integration tokens, the
role-by-route table, content moved in and out, and articles changed in git sent to every replica."""

import argparse
import getpass
import sys

from kb import cli as kb_cli
from kb.settings import Settings
from services.accounts import ROLES, create_token, create_user, list_users, revoke_token, user_id_by_name
from services.audit import AuditLog
from services.db import Database


def build_parser():
    """The argument parser of ``python -m server``."""
    parser = argparse.ArgumentParser(prog="python -m server")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("users", help="manage users").add_subparsers(dest="action", required=True)
    p = add.add_parser("add", help="add a user")
    p.add_argument("username")
    p.add_argument("--role", choices=ROLES, required=True)
    p.add_argument("--name", default="")
    p.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.add_parser("list", help="list users")
    tokens = sub.add_parser("tokens", help="manage API tokens").add_subparsers(dest="action", required=True)
    p = tokens.add_parser("create", help="create a token for a user (printed once)")
    p.add_argument("username")
    p.add_argument("name")
    p = tokens.add_parser("revoke", help="revoke a token")
    p.add_argument("token_id", type=int)
    kb_cli.add_import_arguments(sub.add_parser("import", help="python -m kb import, recorded in the audit log"))
    kb_cli.add_export_arguments(sub.add_parser("export", help="python -m kb export, recorded in the audit log"))
    sub.add_parser("routes", help="print the role-by-route table (as in the README)")
    sub.add_parser("update", help="python -m indexer update, then record the articles changed in the folder (git) "
                                  "as new versions in the database, so every replica receives them")
    return parser


def main(argv=None):
    """Entry point; returns the exit code."""
    args = build_parser().parse_args(argv)
    if args.command == "routes":
        from server import route_table

        print("\n".join(route_table()))
        return 0
    settings = Settings.from_env()
    if args.command == "update":
        return update(settings)
    database = Database(settings.database_url).migrate()
    audit = AuditLog(database, settings.audit_retention_days)
    if args.command in ("import", "export"):
        return _audited(args, audit, database)
    with database.begin() as conn:
        if args.command == "users" and args.action == "add":
            password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("Password: ")
            try:
                create_user(conn, args.username, password, args.role, args.name)
            except ValueError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 2
            _record(audit, conn, "user-create", args.username, {"role": args.role})
            print(f"added {args.username} ({args.role})")
        elif args.command == "users":
            for row in list_users(conn):
                print(f"{row['username']}\t{row['role']}\t{'active' if row['active'] else 'disabled'}")
        elif args.action == "create":
            user_id = user_id_by_name(conn, args.username)
            if user_id is None:
                print(f"error: no user {args.username}", file=sys.stderr)
                return 2
            token_id, token = create_token(conn, user_id, args.name)
            _record(audit, conn, "token-create", token_id, {"username": args.username, "name": args.name})
            print(f"token {token_id} for {args.username}: {token}\n(shown once; store it in the integration's secrets)")
        else:
            if not revoke_token(conn, args.token_id):
                print(f"error: no active token {args.token_id}", file=sys.stderr)
                return 2
            _record(audit, conn, "token-revoke", args.token_id)
            print(f"revoked token {args.token_id}")
    return 0


INCREMENTAL = ("update", "delta", "merge")  # BuildReport.mode of a build that had a previous version to compare


def update(settings):
    """Index what changed in the content folder, record those articles (and the deleted ones) in the database
    (author ``git``) and apply; prints one line per article and returns 1 when one was refused (a conflict or a
    broken file)."""
    from indexer import IndexBuilder
    from kb.search.engine import SearchEngine
    from services import Services
    from services.folder_sync import record_folder_changes, record_folder_deletions

    builder = IndexBuilder(settings)
    report = builder.update(settings.content_dir, settings.index_dir)
    print(report.summary())
    engine = SearchEngine.open(settings.index_dir, settings=settings, embedder=builder.embedder, warm=False)
    services = Services.create(settings, engine, builder=builder)
    incremental = report.mode in INCREMENTAL  # changes against a previous version, however they were written
    if not incremental:  # a first build has no previous version to tell changed files from
        print("full build: nothing recorded in the database (edit, then run update, to send a change)")
    outcomes = {}
    if incremental:
        outcomes.update(record_folder_changes(services.publisher, report.changed))
        outcomes.update(record_folder_deletions(services.publisher, report.deleted))
    for article_id, outcome in sorted(outcomes.items()):
        print(f"{outcome}\t{article_id}")
    services.publisher.apply_pending()
    services.events.flush()
    refused = [a for a, outcome in outcomes.items() if outcome in ("conflict", "invalid")]
    if refused:
        print(f"error: not recorded (resolve in the editor, then run update again): {', '.join(refused)}",
              file=sys.stderr)
    return 1 if refused else 0


def _audited(args, audit, database):
    """Run ``python -m kb import|export`` and record what it did (a dry run changes nothing and is not recorded)."""
    def done(facts):
        with database.begin() as conn:
            _record(audit, conn, args.command, facts.get("source") or facts.get("out"), facts)

    try:
        return args.func(args, on_done=done)
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _record(audit, conn, action, target, detail=None):
    """An audit entry for a command, in its transaction, by the operating-system user who ran it."""
    audit.record(action, actor=f"cli:{getpass.getuser()}"[:80], via="cli", target=target, detail=detail, conn=conn)
