"""API tokens for integrations under ``/api/v1/tokens`` and the audit log under ``/api/v1/audit`` (admins only)."""

from flask import Blueprint, jsonify, request

from assist_api.access import declare
from assist_api.context import get_services
from assist_api.errors import APIError
from assist_api.params import json_body
from services import accounts
from services.audit import COLUMNS, AuditFilter

bp = declare(Blueprint("admin_api", __name__, url_prefix="/api/v1"), "admin")


@bp.post("/tokens")
def new_token():
    """Create an API token for a user (shown once)."""
    body = json_body({"username": (str, True), "name": (str, True)})
    with get_services().database.begin() as conn:
        user_id = accounts.user_id_by_name(conn, body["username"])
        if user_id is None:
            raise APIError("unknown_user", f"no user {body['username']!r}", 404)
        token_id, token = accounts.create_token(conn, user_id, body["name"])
    return jsonify({"id": token_id, "token": token}), 201


@bp.delete("/tokens/<int:token_id>")
def delete_token(token_id):
    """Revoke an API token."""
    with get_services().database.begin() as conn:
        if not accounts.revoke_token(conn, token_id):
            raise APIError("unknown_token", f"no active token {token_id}", 404)
    return jsonify({"id": token_id, "revoked": True})


@bp.get("/audit")
def audit_entries():
    """Audit entries, newest first, filtered by ``actor``, ``action``, ``target``, ``from``, ``to`` and ``limit``."""
    rows = get_services().audit.search(AuditFilter.parse(request.args))
    return jsonify({"entries": [{"id": r["id"], **{c: (r[c].isoformat() if c == "created_at" else r[c]) for c in COLUMNS}}
                                for r in rows]})
