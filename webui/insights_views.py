"""The team lead's insights page: charts and tables from the analytics service, with CSV export of each table."""

import csv
import io

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext

from assist_api.access import declare
from assist_api.context import get_services
from kb.article import CONTACT_CATEGORIES
from services.analytics import date_range
from services.errors import NotFound
from webui.charts import bar_chart
from webui.messages import COLUMN_NAMES

bp = declare(Blueprint("webui_insights", __name__, template_folder="templates"), "insights")


def _request_data():
    start, end = date_range(request.args.get("from"), request.args.get("to"))
    return start, end, get_services().analytics.insights(start, end, request.args.get("category"))


@bp.get("/insights")
def insights():
    """Contacts per week, spikes marked, gaps, articles, escalations and follow-ups, with filters."""
    start, end, data = _request_data()
    weekly, spikes = data["weekly"], data["spikes"]
    highlight = weekly["weeks"].index(spikes["week"]) if spikes["week"] in weekly["weeks"] else None
    any_spike = any(t["spike"] for t in spikes["topics"])
    charts = {"category": bar_chart(weekly["weeks"], weekly["by_category"], highlight if any_spike else None,
                                    title=gettext("Contacts per week by category")),
              "intent": bar_chart(weekly["weeks"], weekly["by_intent"], title=gettext("Contacts per week by intent")),
              "spikes": {t["topic"]: bar_chart(spikes["weeks"], {t["topic"]: t["weekly"]}, len(t["weekly"]) - 1,
                                               width=360, height=140,
                                               title=gettext("%(topic)s per week", topic=t["topic"]))
                         for t in spikes["topics"] if t["spike"]}}
    contacts_total = sum(sum(series) for series in weekly["by_category"].values())
    return render_template("insights.html", tables=data["tables"], charts=charts, spikes=spikes,
                           contacts_total=contacts_total, column_names=COLUMN_NAMES,
                           followups=data["followups"], start=start, end=end,
                           category=request.args.get("category") or "", categories=CONTACT_CATEGORIES,
                           query=request.query_string.decode())


@bp.get("/insights/<name>.csv")
def export(name):
    """One table of the page as CSV, with the page's filters."""
    start, end, data = _request_data()
    if name not in data["tables"]:
        raise NotFound("unknown_table", f"no table {name!r} on the insights page")
    columns, rows = data["tables"][name]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows(rows)
    filename = f"{name}-{start.isoformat()}-{end.isoformat()}.csv"
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
