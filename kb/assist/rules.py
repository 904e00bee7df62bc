"""The escalation decision: explainable rules over the contact, the escalation matrix and the retrieved answers.

Rules are tried in order; the first that applies names the path and says why in one sentence.

>>> from kb.escalation import EscalationMatrix
>>> m = EscalationMatrix.from_dict({"paths": [{"id": "tech-support-engineer", "team": "TS", "sla_hours": 24}]})
>>> decide(m, "my tv flickers", "troubleshooting", "consumer", top_confidence=0.1).path.id
'tech-support-engineer'
"""

import re
from dataclasses import dataclass, field

from kb.assist.triggers import TicketWords

LOW_CONFIDENCE = 0.5
# The fault is physical: a part is broken, so the product needs a repair.
HARDWARE = [r"\bdead\b", r"\bbroken\b", r"\bcracked\b", r"\bsmashed\b", r"\bneeds? (a )?repair", r"\brepair\b",
            r"\bengineer\b", r"\bzepsu", r"\bnapraw", r"\bpęknięt", r"\bpekniet", r"\bstłuczon"]
# The customer already followed the steps, or the fault came back: what first line can say has been said.
PERSISTS = [r"\balready (tried|cleaned|reset|did|followed)", r"\btried (everything|all|the steps|resetting|cleaning)",
            r"\bstill\b", r"\bagain\b", r"\bkeeps\b", r"\bnothing (works|helped)", r"\b(did ?n[o']t|does ?n[o']t) help",
            r"\bdespite\b", r"\beven after\b", r"\bafter (a |the )?(factory )?reset", r"\bnadal\b", r"\bciągle\b",
            r"\bciagle\b", r"\bwciąż\b", r"\bwciaz\b", r"\bpróbował", r"\bprobowal", r"\bmimo\b", r"\bpomimo\b",
            r"\bnie pomogł", r"\bnie pomogl", r"\bnie pomaga", r"\bponownie\b", r"\bznowu\b", r"\bznów\b",
            # a regression many owners share goes to engineering, whatever the caller tried
            r"\bafter (the |a |last |latest )?(firmware |software )?update", r"\bsince (the |a |last )?(firmware |software )?update",
            r"\bpo (ostatniej )?aktualizacji", r"\bod (czasu )?aktualizacji"]
# The same fault after a repair: the repair did not hold, which is a complaint under the warranty, not a new repair.
AFTER_REPAIR = [r"\bafter (the |a |your )?repair", r"\b(since|despite) (the |a |your )?repair", r"\brepaired\b.{0,60}\b(again|still)",
                r"\bpo naprawie", r"\bpo serwisie", r"\bz naprawy\b", r"\bnaprawian\w* (już )?(dwa|trzy|drugi|trzeci)"]
# A case already exists (a registered repair, a return, an RMA): collecting the product is what is left to do.
EXISTING_CASE = [r"\b(rma|nr|case|ticket|zgłoszeni\w*|zgloszeni\w*|repair|naprawy?)[ -]?(no\.?|nr\.?|number|numer)?[ :#-]*"
                 r"[a-z]{0,4}-?\d{3,}", r"\bregistered\b", r"\bzarejestrowan", r"\bzgłoszon", r"\bzgloszon"]
ROUTES = {"promotion": "marketing-team"}
AUDIENCE_ROUTES = {"retailer": "retailer-desk", "service-partner": "service-partner-line"}
# Departments a trigger alone sends a contact to, before the generic order and account desks: installation,
# collection of a registered repair, partners' and retailers' desks, B2B sales, marketing.
DEPARTMENTS = ("installation-partner", "service-partner-line", "retailer-desk", "business-sales", "marketing-team")
TECHNICAL = {"troubleshooting", "repair", "product-question"}


@dataclass
class Decision:
    """The path to follow now (or None), the rule that chose it, and what to do first."""

    path: object = None
    rule: str = "none"
    reason: str = ""
    identity_first: bool = False
    checklist: list = field(default_factory=list)

    def to_dict(self):
        """The ``escalation`` object of the assist response (None when no path applies)."""
        if self.path is None:
            return None
        return {"id": self.path.id, "name": self.path.name, "team": self.path.team, "reason": self.reason,
                "rule": self.rule, "sla_hours": self.path.sla_hours, "channel": self.path.channel,
                "collect": list(self.path.collect), "identity_verification_first": self.identity_first,
                "follow_up_days": self.path.follow_up_days}


def _rules(matrix, text, intent, customer_type, top_confidence, answer_paths, vague=False):
    """Yield (rule, path id, reason) candidates in priority order: safety, complaints and data protection first
    (whoever writes), then who is writing (a retailer's or partner's desk), then the department a trigger names,
    then the generic account and order desks, then a fault that needs a repair or an engineer."""
    words = TicketWords(text)

    def trigger(path_id):
        return words.find(getattr(matrix.get(path_id), "triggers", ()))

    safety = trigger("product-safety")
    if safety:
        yield "safety", "product-safety", (f"The customer mentions '{safety}': stop use, unplug, and report to "
                                           "Product Safety within 2 hours.")
    complaint = trigger("complaints")
    repaired = intent in TECHNICAL and any(re.search(p, text) for p in AFTER_REPAIR)
    if intent == "complaint" or complaint or customer_type == "consumer-ombudsman" or repaired:
        word = complaint or ("a consumer ombudsman case" if customer_type == "consumer-ombudsman" else
                             "the fault after a repair" if repaired else "complaint")
        yield "complaint", "complaints", f"Complaint or legal wording ('{word}') goes to the complaints team."
    data = trigger("data-protection")
    if data:
        yield "data-protection", "data-protection", f"A data protection request ('{data}') goes to the data protection officer."
    if customer_type in AUDIENCE_ROUTES:
        yield "department", AUDIENCE_ROUTES[customer_type], f"A {customer_type} contact is handled by its own desk."
    pickup = trigger("courier-pickup")
    if pickup and any(re.search(p, text) for p in EXISTING_CASE):
        yield "collection", "courier-pickup", (f"A registered repair or return to collect ('{pickup}'): book the "
                                               "courier pickup.")
    for path_id in DEPARTMENTS:
        if path_id == "business-sales" and customer_type not in ("business", None) and intent != "promotion":
            continue  # a consumer's "quote" or "invoice" is not a B2B sales question
        word = trigger(path_id)
        if word:
            yield "department", path_id, f"'{word}' is handled by {matrix[path_id].team if path_id in matrix else path_id}."
    if intent == "account-change":
        yield "account-change", "account-data", "A change to the account or personal data needs identity verification first."
    if intent in ("order", "return"):
        yield "order-change", "orders-returns", "An order, return or refund request goes to the orders desk after identity verification."
    account = trigger("account-data") if intent not in TECHNICAL else None  # a device's own log-in is technical
    if account:
        yield "account-change", "account-data", (f"The customer's account ('{account}'): identity verification first, "
                                                 "then the change.")
    if customer_type == "business" and intent in ("product-question", "promotion", "order", "other"):
        yield "department", "business-sales", "A business customer's sales question goes to the B2B sales desk."
    if intent in ROUTES:
        yield "department", ROUTES[intent], "A promotion or cashback question the FAQ does not settle goes to marketing."
    yield from _fault_rules(text, intent, top_confidence, answer_paths, vague)


def _fault_rules(text, intent, top_confidence, answer_paths, vague):
    if intent not in TECHNICAL:
        return
    hardware = any(re.search(p, text) for p in HARDWARE)
    persists = any(re.search(p, text) for p in PERSISTS)
    if (hardware or persists) and ("repair-service-centre" in answer_paths or intent == "repair"):
        yield "hardware-fault", "repair-service-centre", ("The fault persists after the documented steps: register a "
                                                           "repair with courier pickup and book the follow-up call.")
    if persists:
        yield "steps-tried", "tech-support-engineer", ("The documented steps did not help: escalate to the technical "
                                                        "support engineer (answer within 24 hours).")
    if top_confidence < LOW_CONFIDENCE and not vague:
        yield "low-confidence", "tech-support-engineer", ("No article answers this with confidence: escalate to the "
                                                           "technical support engineer (answer within 24 hours).")


def decide(matrix, text, intent, customer_type="consumer", top_confidence=1.0, answer_paths=(), vague=False):
    """The first applicable rule's path; identity verification comes first for account and order changes. A
    ``vague`` contact (no symptom named) is not escalated for low confidence: the clarifying question comes first."""
    text = (text or "").lower()
    decision = Decision()
    for rule, path_id, reason in _rules(matrix, text, intent, customer_type, top_confidence, set(answer_paths), vague):
        if path_id in matrix:
            decision = Decision(matrix[path_id], rule, reason)
            break
    needs_identity = intent in ("account-change", "order", "return") or bool(
        decision.path and decision.path.identity_verification)
    decision.identity_first = needs_identity
    decision.checklist = checklist(decision, needs_identity)
    return decision


def checklist(decision, identity_first):
    """The mandatory steps of the procedure that applies, in the order to do them."""
    steps = []
    if identity_first:
        steps.append("Verify the caller's identity with a one-time code sent to the registered phone or e-mail "
                     "before any change (identity-verification).")
    path = decision.path
    if path is None:
        return steps
    steps.extend(f"Collect: {item}." for item in path.collect)
    if path.id == "repair-service-centre":
        steps.append("Book the courier pickup for the registered repair (courier-pickup).")
    if path.follow_up_days:
        steps.append(f"Schedule the follow-up call {path.follow_up_days} day(s) after the "
                     f"{'repair' if path.id == 'repair-service-centre' else 'answer'}.")
    steps.append(f"Open the escalation to {path.team} via {path.channel or 'the CRM'}; SLA {path.sla_hours} h.")
    return steps
