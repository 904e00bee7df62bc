"""The search engine: query analysis, lexical and semantic retrieval, fusion, snippets."""
