"""The static customer site: published articles for consumers only, rendered through the same sanitizer as the
consultant's screen, links between exported articles kept (links to anything else become text), images next to an
article copied into ``media/``; an index page by category, and a search page that works offline (its index is
``search-index.js``, loaded with the page; nothing is fetched). Every page carries a strict Content-Security-Policy.

>>> [a.id for a in customer_articles(content)][:1]          # doctest: +SKIP
['tv-no-sound']
"""

import json
import re
import shutil
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from kb.render import to_html, to_text

HERE = Path(__file__).parent
LINK = re.compile(r"\[([^\]]*)\]\(kb:([^)#\s]*)(?:#([^)\s]*))?\)")
IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)")
IMAGE_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".webp"}
LANG_NAMES = {"en": "English", "pl": "Polski"}
INTERNAL_TYPES = ("script", "procedure")
TEXT_LIMIT = 4000  # characters of each article kept in the search index


def customer_articles(content):
    """What customers may read: published articles whose audience includes consumers, by id; call scripts and
    procedures are excluded too, because they tell consultants what to do (verify the caller, open the CRM)."""
    return sorted((a for a in content.articles.values() if a.status == "published" and "consumer" in a.audience
                   and a.type not in INTERNAL_TYPES), key=lambda a: a.id)


def export_site(content, out, title="Nordiq help"):
    """Write the site into ``out`` (emptied first when it holds an earlier export); return the article count."""
    out = Path(out)
    if (out / "search-index.js").exists():
        shutil.rmtree(out)
    (out / "media").mkdir(parents=True, exist_ok=True)
    articles = customer_articles(content)
    exported = {a.id for a in articles}
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True))
    index = []
    for article in articles:
        sections = [{"anchor": s.anchor, "heading": s.heading,
                     "html": _section_html(content, article, s.markdown, exported, out)} for s in article.sections]
        others = {lang: art_id for lang, art_id in content.groups().get(content.group_of(article), {}).items()
                  if art_id != article.id and art_id in exported}
        page = env.get_template("article.html").render(site=title, article=article, sections=sections,
                                                        translations=others, lang_names=LANG_NAMES)
        (out / f"{article.id}.html").write_text(page, "utf-8")
        text = " ".join(to_text(s.markdown) for s in article.sections)
        index.append({"id": article.id, "title": article.title, "lang": article.lang, "url": f"{article.id}.html",
                      "categories": content.article_categories(article), "tags": article.tags,
                      "text": text[:TEXT_LIMIT]})
    _write_index(env, content, out, title, articles)
    (out / "search.html").write_text(env.get_template("search.html").render(site=title), "utf-8")
    data = json.dumps(index, ensure_ascii=False).replace("</", "<\\/")
    (out / "search-index.js").write_text(f"window.KB_SEARCH_INDEX = {data};\n", "utf-8")
    for name in ("search.js", "site.css"):
        shutil.copyfile(HERE / "static" / name, out / name)
    return len(articles)


def _write_index(env, content, out, title, articles):
    by_category = {}
    for article in articles:
        for category in content.article_categories(article) or ["other"]:
            by_category.setdefault(category, []).append(article)
    names = {c.id: c.name for c in content.catalog.categories.values()}
    groups = sorted(((names.get(c, c.replace("-", " ").capitalize()), items) for c, items in by_category.items()))
    (out / "index.html").write_text(env.get_template("index.html").render(site=title, groups=groups), "utf-8")


def _section_html(content, article, markdown, exported, out):
    """Sanitized HTML of a section, with links to exported articles as pages and images copied into media/."""
    def link(match):
        text, target, anchor = match.group(1), match.group(2), match.group(3)
        return f"[{text}]({target}.html{'#' + anchor if anchor else ''})" if target in exported else text

    def image(match):
        alt, src = match.group(1), match.group(2)
        found = _local_image(content, article, src)
        if found is None:
            return alt
        name = f"{article.id}-{found.name}" if not found.name.startswith(article.id) else found.name
        shutil.copyfile(found, out / "media" / name)
        return f"![{alt}](media/{name})"

    markdown = IMAGE.sub(image, LINK.sub(link, markdown))
    return to_html(markdown, images=True)


def _local_image(content, article, src):
    """An image file next to the article inside the content folder, or None (never a URL: nothing is fetched)."""
    if ":" in src or src.startswith(("/", "\\")):
        return None
    root = Path(content.root).resolve()
    path = (root / article.path).parent.joinpath(src).resolve()
    if root not in path.parents or path.suffix.lower() not in IMAGE_TYPES or not path.is_file():
        return None
    return path
