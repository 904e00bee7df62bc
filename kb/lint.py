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


def lint(content, today=None):
    """Return all problems of a loaded content folder: parse problems plus cross-reference checks."""
    today = today or dt.date.today()
    problems = list(content.problems) + check_replies(content)
    for article in [*content.articles.values(), *content.rejected.values()]:
        problems.extend(check_article(content, article, today))
    return sorted(problems, key=lambda p: (p.path, p.line, p.message))


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
