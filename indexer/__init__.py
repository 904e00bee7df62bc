"""Builds the lexical (Whoosh) and semantic (FAISS) indexes of a content folder into an index store."""

from indexer.build import BuildReport, IndexBuilder

__all__ = ["BuildReport", "IndexBuilder"]
