"""How well assist routes tickets written by others: the contact category and the escalation path against a
labelled set, per path and per language.

A ticket file is JSON lines of ``{"id", "subject", "body", "channel", "customer_type", "lang", "product",
"expected": {"category", "path", "acceptable_paths"}}`` (``path`` None: first line answers it alone). A path is
right when it is the expected one or one of the acceptable ones.

>>> summary([{"lang": "pl", "path": "complaints", "path_ok": True, "category_ok": False}])["path"]
{'right': 1, 'n': 1, 'accuracy': 1.0}
"""

import json
from collections import defaultdict
from pathlib import Path


def load_tickets(path):
    """The tickets of a JSON-lines file (or of every ``*.jsonl`` in a folder)."""
    path = Path(path)
    out = []
    for file in sorted(path.glob("*.jsonl")) if path.is_dir() else [path]:
        for lineno, line in enumerate(file.read_text("utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                item["expected"]["category"]
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{file}:{lineno}: not a labelled ticket ({exc})") from None
            out.append(item)
    return out


def route(assistant, tickets):
    """One row per ticket: what assist decided next to what was expected."""
    from kb.assist.assistant import AssistRequest

    rows = []
    for t in tickets:
        result = assistant.assist(AssistRequest(subject=t.get("subject"), body=t.get("body"),
                                                channel=t.get("channel") or "email",
                                                customer_type=t.get("customer_type") or "consumer",
                                                product=t.get("product")))
        expected = t["expected"]
        got = (result.escalation or {}).get("id")
        rows.append({"id": t.get("id"), "lang": t.get("lang", "en"), "path": expected.get("path") or "none",
                     "got": got or "none", "rule": (result.escalation or {}).get("rule", "none"),
                     "path_ok": got == expected.get("path") or got in (expected.get("acceptable_paths") or ()),
                     "category": expected["category"], "got_category": result.detected["category"],
                     "category_ok": result.detected["category"] == expected["category"]})
    return rows


def _share(rows, key):
    right = sum(1 for r in rows if r[key])
    return {"right": right, "n": len(rows), "accuracy": round(right / len(rows), 3) if rows else None}


def summary(rows):
    """Path and category accuracy overall, per language and per expected path."""
    by_lang, by_path = defaultdict(list), defaultdict(list)
    for r in rows:
        by_lang[r["lang"]].append(r)
        by_path[r["path"]].append(r)
    return {"path": _share(rows, "path_ok"), "category": _share(rows, "category_ok"),
            "per_language": {lang: {"path": _share(rs, "path_ok"), "category": _share(rs, "category_ok")}
                             for lang, rs in sorted(by_lang.items())},
            "per_path": {path: _share(rs, "path_ok") for path, rs in sorted(by_path.items())}}


def format_summary(name, report):
    """The report as text lines."""
    def pct(share):
        return f"{share['right']}/{share['n']} = {share['accuracy']:.3f}" if share["n"] else "-"

    lines = [f"{name}: path {pct(report['path'])}, category {pct(report['category'])}"]
    for lang, shares in report["per_language"].items():
        lines.append(f"  {lang}: path {pct(shares['path'])}, category {pct(shares['category'])}")
    lines.append("  per expected path:")
    lines += [f"    {path:<24}{pct(share)}" for path, share in report["per_path"].items()]
    return lines
