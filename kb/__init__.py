"""Nordiq help-desk knowledge base: content, catalog, indexes and the search engine (no web framework here)."""

__version__ = "0.1.0"
