"""Importing articles from the systems a help desk already has: a Zendesk Help Center export, a spreadsheet FAQ
saved as CSV, a folder of HTML pages. Each becomes Markdown with front matter; HTML goes through the sanitizer
before markdownify converts it, and nothing in the imported content is ever executed or fetched.

>>> from kb.importing import import_source                                      # doctest: +SKIP
>>> import_source("export/", "articles", dry_run=True).count("create")           # doctest: +SKIP
42
"""

from kb.importing.plan import ImportResult, Planned, import_source, problems_of, read_source

__all__ = ["ImportResult", "Planned", "import_source", "problems_of", "read_source"]
