"""The one Whoosh schema, shared by the indexer that writes it and the engine that reads it.

English and Polish text go to separate fields because each field has one analyzer; queries search both.

>>> sorted(TEXT_FIELDS["en"])
['body', 'heading', 'tags', 'title']
"""

from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from kb.index.analysis import english_analyzer, polish_analyzer

SCHEMA_VERSION = 3
GENERIC = "_generic"  # product token of articles that name no product

# text field per language: (field name, role)
TEXT_FIELDS = {
    "en": {"title": "title", "heading": "heading", "body": "body", "tags": "tags"},
    "pl": {"title_pl": "title", "heading_pl": "heading", "body_pl": "body", "tags_pl": "tags"},
}

# Query-time weight of each role (BM25F field weights), measured with `python -m kb eval` on the 360 labelled
# queries (lexical / hybrid mrr@10): these 0.902 / 0.939; all 1.0: 0.901 / 0.938; tags not boosted: 0.892 / 0.932;
# title x4: 0.896 / 0.936. Tags carry the callers' own words (error codes, nicknames), so they earn their boost.
FIELD_WEIGHTS = {"title": 2.5, "heading": 1.5, "body": 1.0, "tags": 2.0, "products": 3.0}


def build_schema(synonyms_by_lang=None):
    """The schema, with the synonym maps of each language baked into its analyzers."""
    syn = synonyms_by_lang or {}
    en, pl = english_analyzer(syn.get("en")), polish_analyzer(syn.get("pl"))
    return Schema(
        chunk_id=ID(stored=True, unique=True),
        article_id=ID(stored=True),
        anchor=STORED,
        title=TEXT(analyzer=en),
        heading=TEXT(analyzer=en),
        body=TEXT(analyzer=en),
        tags=TEXT(analyzer=en),
        title_pl=TEXT(analyzer=pl),
        heading_pl=TEXT(analyzer=pl),
        body_pl=TEXT(analyzer=pl),
        tags_pl=TEXT(analyzer=pl),
        # model codes whole and by every prefix down to the family code, normalized (ww90t554daw ww90t554 ... ww90t)
        products=KEYWORD(lowercase=True),
        families=KEYWORD(lowercase=True, stored=True),
        categories=KEYWORD(lowercase=True, commas=False),
        type=ID(stored=True),
        lang=ID(stored=True),
        status=ID(stored=True),
        audience=KEYWORD(lowercase=True),
    )


def analyzer_settings():
    """What the manifest records about analysis, so a reader can tell an incompatible index."""
    return {"schema_version": SCHEMA_VERSION, "en": "regex+lowercase+stop+synonyms+porter",
            "pl": "regex+lowercase+stop+synonyms+simplemma", "field_weights": FIELD_WEIGHTS}
