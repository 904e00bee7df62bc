"""Index formats shared by the indexer (writes) and the search engine (reads): schema, analysis, store."""
