"""Words the pages show for the service's codes (article types, intents, channels, roles, flags, outcomes) and
the errors the pages know, in the page's language; anything else is shown as the service said it.

>>> N_("Answer")
'Answer'
"""

import re

from flask_babel import gettext

FORBIDDEN = re.compile(r"needs the (\S+) permission, which a (\S+) does not have")
QUOTED = re.compile(r"[“'](.+?)[”']")


def N_(text):
    """Mark a string for the message catalog; it is translated where it is shown."""
    return text


LABELS = {
    # article types
    "faq": N_("FAQ"), "script": N_("call script"), "troubleshooting": N_("troubleshooting"),
    "procedure": N_("procedure"), "policy": N_("policy"),
    # channels and customers
    "phone": N_("phone"), "email": N_("e-mail"), "chat": N_("chat"), "visit": N_("visit"),
    "consumer": N_("consumer"), "business": N_("business customer"), "retailer": N_("retailer"),
    "service-partner": N_("service partner"), "consumer-ombudsman": N_("consumer ombudsman"),
    # intents and contact categories
    "complaint": N_("complaint"), "account-change": N_("account change"), "return": N_("return"),
    "order": N_("order"), "promotion": N_("promotion"), "repair": N_("repair"),
    "product-question": N_("product question"), "other": N_("other"), "marketing": N_("marketing"),
    "technical-service": N_("technical service"), "customer-service": N_("customer service"),
    # roles
    "consultant": N_("consultant"), "engineer": N_("engineer"), "writer": N_("writer"), "reviewer": N_("reviewer"),
    "team-lead": N_("team lead"), "admin": N_("administrator"),
    # statuses
    "draft": N_("draft"), "review": N_("in review"), "published": N_("published"), "archived": N_("archived"),
    "deleted": N_("deleted in git"),
    "open": N_("open"), "answered": N_("answered"), "closed": N_("closed"), "due": N_("due"), "done": N_("done"),
    # flags and follow-up outcomes
    "wrong": N_("wrong"), "outdated": N_("outdated"), "unclear": N_("unclear"), "missing-step": N_("missing step"),
    "solved": N_("solved"), "not-solved": N_("not solved"), "unreachable": N_("customer not reachable"),
    "repair-callback": N_("call after the repair"), "fix-callback": N_("call after the answer"),
    # languages of articles
    "en": N_("English"), "pl": N_("Polish"),
}

STAGE_NAMES = {"script": N_("Call script"), "procedures": N_("Procedures and policies"),
               "troubleshooting": N_("Troubleshooting, most used first"), "faq": N_("Frequently asked questions")}

COLUMN_NAMES = {  # the insights tables' columns (the CSV keeps the codes)
    "week": N_("week"), "query": N_("query"), "kind": N_("kind"), "count": N_("count"),
    "best_confidence": N_("best confidence"), "article_id": N_("article"), "used": N_("used"), "helpful": N_("helpful"),
    "not_helpful": N_("not helpful"), "flagged": N_("flagged"), "helpful_share": N_("share helpful"),
    "owner": N_("owner"), "reason": N_("reason"), "opened": N_("opened"), "answered_in_sla": N_("answered within SLA"),
    "share_in_sla": N_("share within SLA"), "topic": N_("topic"), "trailing_mean": N_("4-week mean"),
    "threshold": N_("threshold"), "spike": N_("spike"), "covered": N_("covered"), "answered_share": N_("share answered"),
    # rewrite first and guided troubleshooting
    "contacts": N_("contacts"), "not_fixed": N_("not fixed (follow-up)"), "repeat": N_("repeat contacts"),
    "fixed": N_("fixed (follow-up)"),
    "failure_share": N_("share not fixed"), "runs": N_("guided calls"), "resolved": N_("fixed on the path"),
    "escalated": N_("escalated"), "left": N_("left the path"), "fixes_most_at": N_("fixes most at"),
    "drop_out_at": N_("most leave at"),
}

ERRORS = {
    "unknown_article": N_("There is no published article “%(id)s”. Search for the topic instead."),
    "not_found": N_("There is no page at this address."),
    "forbidden": N_("This needs the %(permission)s permission, which a %(role)s does not have; ask an administrator."),
    "database_unavailable": N_("The contact database is not available right now. Search still works; try again in a "
                               "few seconds."),
    "csrf_failed": N_("The form has expired. Reload the page and try again."),
    "unknown_escalation": N_("There is no such escalation."),
    "unknown_followup": N_("There is no such follow-up call, or it is done already."),
    "already_answered": N_("This escalation was answered already."),
    "internal_error": N_("The server hit an unexpected error; it has been logged."),
    "no_steps": N_("This article has no numbered steps to guide a call through; open the article instead."),
}


def label(code):
    """The word for a code in the page's language (the code itself when the pages know no word for it)."""
    return gettext(LABELS[code]) if code in LABELS else code


def error_message(code, message):
    """An error's message in the page's language when the pages know the error, else the service's message."""
    if code == "forbidden":
        found = FORBIDDEN.search(message or "")
        return gettext(ERRORS[code], permission=found.group(1), role=label(found.group(2))) if found else message
    if code == "unknown_article":
        found = QUOTED.search(message or "")
        return gettext(ERRORS[code], id=found.group(1)) if found else message
    return gettext(ERRORS[code]) if code in ERRORS else message
