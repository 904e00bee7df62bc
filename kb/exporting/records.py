"""The JSON export: one record per article and per translation, with its metadata, its translation group and its
sections as Markdown, sanitized HTML and plain text.

>>> sorted(article_record(content, content.articles["tv-no-sound"]))[:3]     # doctest: +SKIP
['audience', 'categories', 'channels']
"""

import json
from pathlib import Path

from kb.render import to_html, to_text

FORMAT_VERSION = 1


def article_record(content, article):
    """One article as a plain dict: front matter, its translations by language, and its sections."""
    group = content.group_of(article)
    translations = {lang: art_id for lang, art_id in content.groups().get(group, {}).items() if art_id != article.id}
    return {**article.front_matter(), "path": article.path, "group": group, "translations": translations,
            "sections": [{"anchor": s.anchor, "heading": s.heading, "markdown": s.markdown, "html": to_html(s.markdown),
                          "text": to_text(s.markdown)} for s in article.sections]}


def export_json(content, out, statuses=None):
    """Write every article (of ``statuses``, default all) to ``out`` as JSON; return how many were written."""
    articles = [a for a in sorted(content.articles.values(), key=lambda a: a.id)
                if statuses is None or a.status in statuses]
    doc = {"format": "nordiq-kb-export", "version": FORMAT_VERSION,
           "articles": [article_record(content, a) for a in articles]}
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return len(articles)
