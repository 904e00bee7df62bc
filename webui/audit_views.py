"""The administrators' audit page: every entry of the audit log with filters, and the same entries as CSV."""

from flask import Blueprint, Response, render_template, request

from assist_api import audit
from assist_api.access import declare
from assist_api.context import get_services
from services.audit import AuditFilter, to_csv

bp = declare(Blueprint("webui_admin", __name__, template_folder="templates"), "admin")


@bp.get("/admin/audit")
def audit_page():
    """Who did what and when, newest first, filtered by person, action, thing and dates."""
    where = AuditFilter.parse(request.args)
    log = get_services().audit
    return render_template("audit.html", rows=log.search(where), where=where, actions=log.actions(),
                           query=request.query_string.decode())


@bp.get("/admin/audit.csv")
def audit_csv():
    """The filtered entries as CSV (the download itself is an entry: an export)."""
    where = AuditFilter.parse(request.args)
    rows = get_services().audit.search(where)
    audit.record("export", target="audit-log", status=200, detail={"format": "csv", "rows": len(rows),
                                                                      **where.as_args()})
    return Response(to_csv(rows), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="audit-log.csv"'})
