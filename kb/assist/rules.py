"""The escalation decision: explainable rules over the contact, the escalation matrix and the retrieved answers.

Rules are tried in order; the first that applies names the path and says why in one sentence.

>>> from kb.escalation import EscalationMatrix
>>> m = EscalationMatrix.from_dict({"paths": [{"id": "tech-support-engineer", "team": "TS", "sla_hours": 24}]})
>>> decide(m, "my tv flickers", "troubleshooting", "consumer", top_confidence=0.1).path.id
'tech-support-engineer'
"""

import re
from dataclasses import dataclass, field

LOW_CONFIDENCE = 0.5
FAULT_CONFIRMED = [r"\balready (tried|cleaned|reset|did)", r"\btried (everything|all|the steps|resetting|cleaning)",
                   r"\bstill\b", r"\bagain\b", r"\bkeeps\b", r"\bnothing (works|helped)", r"\bdead\b", r"\bbroken\b",
                   r"\bcracked\b", r"\bsmashed\b", r"\bneeds? (a )?repair", r"\brepair\b", r"\bengineer\b",
                   r"\bnadal\b", r"\bciągle\b", r"\bwciąż\b", r"\bpróbował", r"\bzepsu", r"\bnapraw"]
ROUTES = {"promotion": "marketing-team"}
AUDIENCE_ROUTES = {"retailer": "retailer-desk", "service-partner": "service-partner-line"}
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


def matched_trigger(path, text):
    """The first of a path's trigger words found in the text, or None."""
    for trigger in getattr(path, "triggers", ()) or ():
        if re.search(r"(?<!\w)" + re.escape(trigger.lower()) + r"(?!\w)", text):
            return trigger
    return None


def _rules(matrix, text, intent, customer_type, top_confidence, answer_paths):
    """Yield (rule, path id, reason) candidates in priority order."""
    safety = matched_trigger(matrix.get("product-safety"), text)
    if safety:
        yield "safety", "product-safety", (f"The customer mentions '{safety}': stop use, unplug, and report to "
                                           "Product Safety within 2 hours.")
    complaint = matched_trigger(matrix.get("complaints"), text)
    if intent == "complaint" or complaint or customer_type == "consumer-ombudsman":
        word = complaint or ("a consumer ombudsman case" if customer_type == "consumer-ombudsman" else "complaint")
        yield "complaint", "complaints", f"Complaint or legal wording ('{word}') goes to the complaints team."
    data = matched_trigger(matrix.get("data-protection"), text)
    if data:
        yield "data-protection", "data-protection", f"A data protection request ('{data}') goes to the data protection officer."
    if intent == "account-change":
        yield "account-change", "account-data", "A change to the account or personal data needs identity verification first."
    if intent in ("order", "return"):
        yield "order-change", "orders-returns", "An order, return or refund request goes to the orders desk after identity verification."
    if customer_type in AUDIENCE_ROUTES:
        yield "department", AUDIENCE_ROUTES[customer_type], f"A {customer_type} contact is handled by its own desk."
    if customer_type == "business" and intent in ("product-question", "promotion", "order", "other"):
        yield "department", "business-sales", "A business customer's sales question goes to the B2B sales desk."
    if intent in ROUTES:
        yield "department", ROUTES[intent], "A promotion or cashback question the FAQ does not settle goes to marketing."
    confirmed = next((p for p in FAULT_CONFIRMED if re.search(p, text)), None)
    if intent in TECHNICAL and confirmed and ("repair-service-centre" in answer_paths or intent == "repair"):
        yield "hardware-fault", "repair-service-centre", ("The fault persists after the documented steps: register a "
                                                           "repair with courier pickup and book the follow-up call.")
    if intent in TECHNICAL and top_confidence < LOW_CONFIDENCE:
        yield "low-confidence", "tech-support-engineer", ("No article answers this with confidence: escalate to the "
                                                           "technical support engineer (answer within 24 hours).")


def decide(matrix, text, intent, customer_type="consumer", top_confidence=1.0, answer_paths=()):
    """The first applicable rule's path; identity verification comes first for account and order changes."""
    text = (text or "").lower()
    decision = Decision()
    for rule, path_id, reason in _rules(matrix, text, intent, customer_type, top_confidence, set(answer_paths)):
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
