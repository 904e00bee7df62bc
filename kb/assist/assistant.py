"""The assistant: a contact in, suggested answers, the escalation path and the checklist out.

>>> assistant = Assistant(engine)                                              # doctest: +SKIP
>>> assistant.assist(AssistRequest(subject="4C", body="my ww90t554daw shows 4C")).answers[0]["article_id"]  # doctest: +SKIP
"""

import time
from dataclasses import dataclass, field

from kb.article import AUDIENCES, CHANNELS, LANGS, find_answer
from kb.assist.calibration import Calibrator
from kb.assist.clarify import clarifying_question, symptom_words
from kb.assist.classify import classify
from kb.assist.rules import LOW_CONFIDENCE, decide
from kb.assist.ticket import clean_ticket, informative_terms, lead_sentences
from kb.render import to_html, to_text
from kb.search.engine import SearchError

MAX_TEXT = 20_000


@dataclass
class AssistRequest:
    """A contact as the ticket screen or the console sends it."""

    subject: str = ""
    body: str = ""
    product: str = None
    channel: str = "phone"
    customer_type: str = "consumer"
    lang: str = None
    contact_id: str = None


@dataclass
class AssistResult:
    """What the consultant sees: detection, answers with confidence, the escalation path and the checklist."""

    detected: dict
    answers: list
    escalation: dict
    checklist: list
    took_ms: float = 0.0
    query: dict = field(default_factory=dict)
    text: str = ""  # the cleaned contact text (stored redacted for practice mode; not sent back)
    clarify: str = None  # the question to ask first when the contact is vague (kb.assist.clarify)

    def to_dict(self):
        """Plain dict for JSON."""
        return {"detected": self.detected, "answers": self.answers, "escalation": self.escalation,
                "checklist": self.checklist, "clarify": self.clarify, "query": self.query,
                "took_ms": round(self.took_ms, 2)}


def validate(request, catalog):
    """Raise SearchError for a request the assistant cannot serve."""
    for name in ("subject", "body"):
        value = getattr(request, name)
        if value is not None and not isinstance(value, str):
            raise SearchError(f"bad_{name}", f"{name} must be text")
        if value and len(value) > MAX_TEXT:
            raise SearchError(f"{name}_too_long", f"{name} is longer than {MAX_TEXT} characters")
    if not (request.subject or "").strip() and not (request.body or "").strip():
        raise SearchError("empty_contact", "give the contact's subject or body")
    if request.channel not in CHANNELS:
        raise SearchError("bad_channel", f"channel must be one of {', '.join(CHANNELS)}")
    if request.customer_type not in AUDIENCES:
        raise SearchError("bad_customer_type", f"customer_type must be one of {', '.join(AUDIENCES)}")
    if request.lang is not None and request.lang not in LANGS:
        raise SearchError("bad_lang", f"lang must be one of {', '.join(LANGS)}")
    if request.product and catalog.product(request.product) is None:
        raise SearchError("unknown_product", f"no product with code {request.product!r}")


class Assistant:
    """Wraps the search engine with ticket condensing, classification, confidence and escalation rules."""

    def __init__(self, engine, calibrator=None, answers=5, usage=None):
        self.engine = engine
        self.calibrator = Calibrator.load() if calibrator is None else calibrator
        self.answers = answers
        self.usage = usage  # what fixed the problem before: ``boosts(query, product)``, ``explain(...)`` (or None)

    def assist(self, request):
        """Answer one contact."""
        started = time.perf_counter()
        version = self.engine.version
        validate(request, version.catalog)
        raw = f"{request.subject or ''}\n{request.body or ''}".strip()
        text = clean_ticket(raw) or raw
        classification = classify(text, request.lang)
        detections = version.catalog.detect(text)
        products = [d.product.code for d in detections if d.product]
        if request.product:
            given = version.catalog.product(request.product).code
            products = [given] + [p for p in products if p != given]
        codes = [d.text for d in detections] + ([request.product] if request.product else [])
        result, lexical_query = self.retrieve(text, codes, classification.lang, product=products[0] if products else None)
        confidences = self.calibrator.confidences(result.hits)
        answers = [self._answer(version, hit, conf) for hit, conf in zip(result.hits, confidences)]
        top = confidences[0] if confidences else 0.0
        paths = [a["escalation"] for a in answers if a["escalation"] and a["confidence"] >= LOW_CONFIDENCE]
        decision = decide(version.escalation, text, classification.intent, request.customer_type, top, paths,
                          vague=not symptom_words(text))
        families = list(dict.fromkeys([version.catalog.products[p].family for p in products]
                                      + [d.family.code for d in detections]))
        # the department that takes the contact decides its category (a retailer's order is customer service,
        # a business customer's quote is marketing); without a path, the intent's category stands
        category = decision.path.contact_category if decision.path else classification.category
        detected = {"products": products, "families": families, "category": category,
                    "intent": classification.intent, "lang": classification.lang,
                    "product_categories": sorted({version.catalog.families[f].category for f in families}),
                    "rules_matched": classification.matched}
        result = AssistResult(detected=detected, answers=answers, escalation=decision.to_dict(),
                            checklist=decision.checklist, took_ms=(time.perf_counter() - started) * 1000,
                            query={"lexical": lexical_query, "semantic": lead_sentences(text)}, text=text)
        result.clarify = clarifying_question(result, text)
        return result

    def retrieve(self, text, codes=(), lang=None, limit=None, mode="hybrid", product=None, **filters):
        """The search behind a ticket: its informative words (and model codes) on the lexical side, its opening
        sentences on the semantic side, what fixed such problems before (for ``product``) as a bounded boost.
        Returns ``(SearchResult, lexical query)``."""
        version = self.engine.version
        lang = lang or classify(text).lang
        df = version.analyzer.en_vocab.counts if lang == "en" else version.analyzer.pl_vocab.counts
        terms = informative_terms(text, df, limit=12, protected={w.lower() for w in codes})
        lexical_query = " ".join(dict.fromkeys(list(codes) + terms))[: self.engine.settings.max_query_length] or text[:200]
        if self.usage is not None and mode == "hybrid":
            filters["boosts"] = self.usage.boosts(lexical_query, product)
        result = self.engine.search(lexical_query, mode=mode, limit=limit or self.answers,
                                    semantic_text=lead_sentences(text), ticket=True, **filters)
        return result, lexical_query

    def search(self, query, mode="hybrid", limit=None, explain=False, **filters):
        """A search for the console and the API: hits with calibrated confidence, and ``no_good_answer`` with the
        engineer's escalation path when nothing fits. Returns ``(SearchResult, payload dict)``."""
        if self.usage is not None and mode == "hybrid":
            filters["boosts"] = self.usage.boosts(query, filters.get("product"))
        result = self.engine.search(query, mode=mode, limit=limit, explain=explain, **filters)
        data = result.to_dict()
        for hit in data["hits"] if explain and filters.get("boosts") else ():
            if filters["boosts"].get(hit["article_id"]):
                hit["explanation"]["usage"] = self.usage.explain(query, filters.get("product"), hit["article_id"])
        # the confidence model is fitted on hybrid scores; other modes' scores are on other scales
        confidences = self.calibrator.confidences(result.hits) if result.mode == "hybrid" else []
        for hit, confidence in zip(data["hits"], confidences):
            hit["confidence"] = confidence
        top = confidences[0] if confidences else (1.0 if result.hits and result.mode != "hybrid" else 0.0)
        data["no_good_answer"] = top < LOW_CONFIDENCE
        if data["no_good_answer"]:
            path = self.engine.version.escalation.get("tech-support-engineer")
            data["escalation"] = path.to_dict() if path else None
        data["top_confidence"] = top if result.hits else None
        return result, data

    def _answer(self, version, hit, confidence):
        record = version.articles[hit.article_id]
        sections = record["sections"]
        answer = find_answer(sections) or next((s for s in sections if s["anchor"] == hit.section), sections[0])
        return {"article_id": hit.article_id, "title": hit.title, "type": hit.type, "section": answer["anchor"],
                "matched_section": hit.section, "answer_text": to_text(answer["markdown"]),
                "answer_html": to_html(answer["markdown"]), "link": f"/articles/{hit.article_id}#{answer['anchor']}",
                "confidence": confidence, "escalation": record.get("escalation"), "score": hit.score}
