"""API tokens for integrations under ``/api/v1/tokens`` (admins only)."""

from flask import Blueprint, jsonify

from assist_api.access import declare
from assist_api.context import get_services
from assist_api.errors import APIError
from assist_api.params import json_body
from services import accounts

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
