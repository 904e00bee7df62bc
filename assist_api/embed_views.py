"""The token step of the embed contract: ``POST /api/v1/embed/tokens`` makes a short-lived assist-panel token.

The ticket system's server calls it with its API token (never a browser with a cookie) and hands the result to
its page, which gives it to the panel by ``postMessage``; see docs/embed.md.
"""

from flask import Blueprint, g, jsonify

from assist_api.access import current_user, declare
from assist_api.context import get_services
from assist_api.errors import APIError
from assist_api.params import json_body
from services.accounts import token_hash

bp = declare(Blueprint("embed_api", __name__, url_prefix="/api/v1/embed"), "contact")


@bp.post("/tokens")
def new_embed_token():
    """A panel token for the API token's user, valid for an hour, that opens only the assist panel's routes."""
    body = json_body({"agent": (str, False)}, optional_body=True)
    user = current_user()
    if g.get("kb_auth") != "token":
        raise APIError("api_token_required", "make panel tokens on the ticket system's server with its API token "
                       "(Authorization: Bearer kb_...), never from a browser")
    made = get_services().identities.embed.create(user, user["token_id"], body["agent"])
    return jsonify({**made, "id": f"embed:{token_hash(made['token'])[:12]}"}), 201
