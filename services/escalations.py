"""An engineer's answer to an escalation becomes a draft article, so writers can publish it for the next consultant."""

import logging
import os
import tempfile
from pathlib import Path

import yaml

log = logging.getLogger(__name__)


def write_escalation_draft(content_dir, escalation, answer, answered_by, path=None):
    """Write ``drafts/esc-<id>.md`` (status draft) into the content folder; return its id, or None if it cannot."""
    article_id = f"esc-{escalation['id']}-answer"
    question = " ".join((escalation.get("question") or "Escalated question").split())
    front = {"id": article_id, "title": question[:120], "type": "faq", "status": "draft", "owner": answered_by,
             "tags": ["escalation", f"escalation-{escalation['id']}"],
             **({"escalation": path.id} if path else {})}
    text = (f"---\n{yaml.safe_dump(front, sort_keys=False, allow_unicode=True)}---\n\n## Answer\n\n{answer.strip()}\n\n"
            f"## Source\n\nAnswer of {answered_by} to escalation {escalation['id']} ({escalation['path_id']}); "
            f"review and edit before publishing.\n")
    target = Path(content_dir) / "drafts" / f"{article_id}.md"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, target)
    except OSError as exc:
        log.warning("could not write the draft for escalation %s: %s", escalation["id"], exc)
        return None
    return article_id
