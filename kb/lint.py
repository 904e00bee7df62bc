"""Validation of a content folder: every problem names the file, the line and the fix.

>>> from kb.content import Content                  # doctest: +SKIP
>>> problems = lint(Content.load("articles"))        # doctest: +SKIP
"""

import datetime as dt
import re
from collections import defaultdict

from kb.guide import parse_steps, steps_section
from kb.problems import Problem
from kb.replies import ReplyTemplates

LINK_RE = re.compile(r"\]\(kb:([^)#\s]*)(?:#([^)\s]*))?\)")
BRACKETS = {"(": ")", "[": "]", "{": "}"}
LIST_FIELDS = ("products", "categories", "tags", "audience", "channels")
ESCALATION_LISTS = ("collect", "triggers")
HTML_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9]*)\b[^>]*>")
FENCE = re.compile(r"^\s*(```|~~~)")


def lint(content, today=None):
    """Return all problems of a loaded content folder: parse problems plus cross-reference checks."""
    today = today or dt.date.today()
    problems = list(content.problems) + check_replies(content)
    for article in [*content.articles.values(), *content.rejected.values()]:
        problems.extend(check_article(content, article, today))
    problems.extend(check_escalation_lists(content.root / "escalation.yaml"))
    return sorted(problems, key=lambda p: (p.path, p.line, p.message))


def unbalanced(item):
    """The first bracket left open or closed without its partner in a list item, else None (an item such as
    "what the customer expects (repair" is what a YAML flow list makes of a comma inside brackets).

    >>> unbalanced("what the customer expects (repair"), unbalanced("refund)"), unbalanced("proof (invoice, receipt)")
    ('(', ')', None)
    """
    stack = []
    for char in str(item):
        if char in BRACKETS:
            stack.append(char)
        elif char in BRACKETS.values():
            if not stack or BRACKETS[stack[-1]] != char:
                return char
            stack.pop()
    if stack:
        return stack[-1]
    return '"' if str(item).count('"') % 2 else None


def split_items(path, line, field, items):
    """Problems for the items of a list field that were split at a comma inside brackets."""
    out = []
    for item in items:
        char = unbalanced(item)
        if char:
            out.append(Problem(path, line, "error", f"{field} item {str(item)!r} has an unmatched {char!r}: the list "
                               "was split at a comma inside brackets",
                               'quote the item ("...") or write the list one item per line ("- item")'))
    return out


def check_escalation_lists(path):
    """``collect`` and ``triggers`` lists of the escalation matrix whose items were split inside brackets."""
    import yaml

    try:
        root = yaml.compose(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError):  # a missing or broken file is reported where the matrix is loaded
        return []
    out = []
    for key, value in (root.value if isinstance(root, yaml.MappingNode) else []):
        if key.value != "paths" or not isinstance(value, yaml.SequenceNode):
            continue
        for entry in value.value:
            for field, items in (entry.value if isinstance(entry, yaml.MappingNode) else []):
                if field.value in ESCALATION_LISTS and isinstance(items, yaml.SequenceNode):
                    out.extend(split_items(path.name, items.start_mark.line + 1, field.value,
                                           [i.value for i in items.value if isinstance(i, yaml.ScalarNode)]))
    return out


def raw_html_tags(article):
    """Raw HTML tags in an article's body outside code: the pages strip all but a few formatting tags."""
    from kb.render import TAGS

    out, fenced = [], False
    for offset, line in enumerate(article.body.split("\n")):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        for match in HTML_TAG.finditer(re.sub(r"`[^`]*`", "", line)):
            if match.group(1).lower() not in TAGS:
                out.append(Problem(article.path, article.body_line + offset, "warning",
                                   f"raw HTML <{match.group(1)}> will be removed when the article is shown",
                                   "write it in Markdown (lists, **bold**, tables, links) instead of HTML"))
    return out


def check_replies(content):
    """The reply templates: their own problems, and "next" texts only for escalation paths that exist."""
    templates = ReplyTemplates.load(content.root)
    problems = [Problem(content.relpath(p.path), p.line, p.severity, p.message, p.fix) for p in templates.problems]
    for lang, channels in templates.entries.items():
        for channel, keys in channels.items():
            for path_id in set(keys.get("next", {})) - {"default"} - set(content.escalation):
                problems.append(Problem(content.relpath(templates.path), 1, "error",
                                        f"{lang}.{channel}.next names an unknown escalation path {path_id!r}",
                                        "use an id from escalation.yaml: " + ", ".join(sorted(content.escalation))))
    return problems


def check_article(content, article, today):
    """Cross-reference checks of one article against the catalog, categories, matrix and other articles."""
    out = []

    def at(key):
        return article.meta_lines.get(key, 2)

    catalog = content.catalog
    for pattern in article.products:
        if not catalog.expand(pattern):
            hint = "a model code from catalog.yaml or a family pattern such as WW90T*"
            fam = catalog.family_of(pattern.rstrip("*"))
            if fam:
                hint = f"did you mean {fam.code}*?"
            out.append(Problem(article.path, at("products"), "error", f"unknown product {pattern!r}", hint))
    for cat in article.categories:
        if catalog.categories and cat not in catalog.categories:
            out.append(Problem(article.path, at("categories"), "error", f"unknown category {cat!r}",
                               "use a category id from categories.yaml: " + ", ".join(sorted(catalog.categories))))
    if article.escalation and article.escalation not in content.escalation:
        out.append(Problem(article.path, at("escalation"), "error", f"unknown escalation path {article.escalation!r}",
                           "use an id from escalation.yaml: " + ", ".join(sorted(content.escalation))))
    if article.review_by and dt.date.fromisoformat(article.review_by) < today and article.status == "published":
        out.append(Problem(article.path, at("review_by"), "warning", f"review_by {article.review_by} is in the past",
                           "review the article, then set reviewed to today and review_by to a future date"))
    out.extend(check_links(content, article))
    out.extend(check_translation(content, article))
    for field in LIST_FIELDS:
        out.extend(split_items(article.path, at(field), field, getattr(article, field)))
    out.extend(raw_html_tags(article))
    out.extend(check_steps(article))
    return out


def check_translation(content, article):
    """``translation_of`` names an existing article in another language, which translates nothing itself, and no
    other article of the same language translates it."""
    target_id = article.translation_of
    if not target_id:
        return []
    line = article.meta_lines.get("translation_of", 2)
    source = content.articles.get(target_id)
    if source is None:
        return [Problem(article.path, line, "error", f"translation_of names an unknown article {target_id!r}",
                        "use the id of the article this one translates")]
    if source.lang == article.lang:
        return [Problem(article.path, line, "error", f"translation_of {target_id!r} is also in {article.lang}",
                        "a translation must be in another language than its source")]
    if source.translation_of:
        return [Problem(article.path, line, "error", f"{target_id!r} is itself a translation of "
                        f"{source.translation_of!r}", f"name the source instead: translation_of: {source.translation_of}")]
    twins = sorted(a.id for a in content.articles.values()
                   if a.translation_of == target_id and a.lang == article.lang and a.id != article.id)
    if twins:
        return [Problem(article.path, line, "error", f"{target_id!r} already has a {article.lang} translation: "
                        f"{', '.join(twins)}", "one article per language per group: merge them or link another source")]
    if article.source_hash != source.content_hash:
        return [Problem(article.path, article.meta_lines.get("source_hash", line), "warning",
                        f"the translation is out of date: {target_id!r} changed since it was last reviewed",
                        f"compare it with the source (the editor shows what changed), update the text, then press "
                        f"Mark as reviewed in the editor or run 'python -m kb translations --reviewed {article.id}' "
                        f"(either sets source_hash: {source.content_hash})")]
    return []


def check_steps(article):
    """The Steps section as a guided path: branches lead to existing steps, no loop without a way out."""
    section = steps_section(article.sections, lambda s: s.heading)
    if section is None:
        return []
    lines = article.body.split("\n")
    first = section.line + 1  # the section's text starts after its heading and the empty lines below it
    while first - article.body_line < len(lines) and lines[first - article.body_line] == "":
        first += 1
    guide = parse_steps(section.markdown, first)
    return [Problem(article.path, p.line, p.severity, p.message, p.fix) for p in guide.problems]


def check_links(content, article):
    """Report ``kb:`` links to articles or sections that do not exist."""
    out = []
    for offset, line in enumerate(article.body.split("\n")):
        for match in LINK_RE.finditer(line):
            target, anchor = match.group(1), match.group(2)
            other = content.articles.get(target)
            lineno = article.body_line + offset
            if other is None:
                out.append(Problem(article.path, lineno, "error", f"link to unknown article {target!r}",
                                   "link to an existing id, e.g. [text](kb:repair-registration)"))
            elif anchor and other.section(anchor) is None:
                anchors = ", ".join(s.anchor for s in other.sections if s.anchor)
                out.append(Problem(article.path, lineno, "error", f"link to unknown section {target}#{anchor}",
                                   f"use one of the sections of {target}: {anchors}"))
    return out


def coverage(content):
    """Count, for every catalog product, the published articles that cover it (directly, by family or category)."""
    direct, by_category = defaultdict(set), defaultdict(set)
    for article in content.published():
        products = content.article_products(article)
        for code in products:
            direct[code].add(article.id)
        if not article.products:
            for cat in article.categories:
                by_category[cat].add(article.id)
    return {code: len(direct[code] | by_category[p.category]) for code, p in content.catalog.products.items()}
