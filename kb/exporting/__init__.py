"""Exporting the knowledge base: JSON with one record per article and translation (sections and metadata), and a
static HTML site for customers (published, consumer-audience articles only, sanitized, with a search page that
works offline: the index is a script file beside the pages, searched in the browser).

>>> from kb.content import Content                                  # doctest: +SKIP
>>> export_json(Content.load("articles"), "kb.json")                 # doctest: +SKIP
>>> export_site(Content.load("articles"), "site/")                   # doctest: +SKIP
"""

from kb.exporting.records import article_record, export_json
from kb.exporting.site import customer_articles, export_site

__all__ = ["article_record", "customer_articles", "export_json", "export_site"]
