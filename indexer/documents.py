"""What the indexer stores for an article and its chunks: Whoosh documents and the article records."""

from kb.catalog import normalize_code
from kb.index.schema import GENERIC, TEXT_FIELDS


def product_tokens(content, article):
    """Normalized model codes of an article, whole and by every prefix down to the family code, plus SKUs."""
    tokens = set()
    catalog = content.catalog
    for code in content.article_products(article):
        product = catalog.products[code]
        norm, fam = normalize_code(code), normalize_code(product.family)
        tokens.update(norm[:end].lower() for end in range(len(fam), len(norm) + 1))
        tokens.update(normalize_code(sku).lower() for sku in product.skus)
    for pattern in article.products:
        tokens.add(normalize_code(pattern).lower())
    if not article.products:
        tokens.add(GENERIC)  # category-wide article: a product filter keeps it for products of its categories
    return sorted(t for t in tokens if t)


def whoosh_document(content, article, chunk, products):
    """The Whoosh fields of one chunk (text goes to the fields of the article's language)."""
    fields = {v: k for k, v in TEXT_FIELDS.get(article.lang, TEXT_FIELDS["en"]).items()}
    doc = {
        "chunk_id": chunk.chunk_id,
        "article_id": article.id,
        "anchor": chunk.anchor,
        fields["title"]: article.title,
        fields["heading"]: chunk.heading if chunk.anchor else "",
        fields["body"]: chunk.text,
        fields["tags"]: " ".join(article.tags),
        "products": " ".join(products),
        "families": " ".join(normalize_code(f).lower() for f in content.article_families(article)),
        "categories": " ".join(content.article_categories(article)),
        "type": article.type,
        "lang": article.lang,
        "status": article.status,
        "audience": " ".join(article.audience),
    }
    return {k: v for k, v in doc.items() if v != ""}


def article_record(content, article, file_hash):
    """Everything the engine needs to show an article without reading the content folder."""
    record = article.front_matter()
    record.update(
        path=article.path,
        hash=file_hash,
        group=content.group_of(article),
        content_hash=article.content_hash,
        outdated=_outdated(content, article),
        categories=content.article_categories(article),
        families=content.article_families(article),
        product_codes=content.article_products(article),
        sections=[{"anchor": s.anchor, "heading": s.heading, "markdown": s.markdown, "line": s.line}
                  for s in article.sections],
    )
    return record


def _outdated(content, article):
    """Whether a translation's source changed since the translation was last reviewed."""
    source = content.articles.get(article.translation_of) if article.translation_of else None
    return bool(source and article.source_hash != source.content_hash)
