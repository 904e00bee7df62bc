"""Synonym groups (``synonyms.yaml``), per language, expanded at index time.

>>> s = Synonyms({"en": [["fridge", "refrigerator"]]})
>>> sorted(s.expand("fridge", "en"))
['fridge', 'refrigerator']
"""

from pathlib import Path

import yaml


class Synonyms:
    """Maps a term to the other terms of its groups, per language."""

    def __init__(self, groups_by_lang=None):
        self.groups = {}
        self._index = {}
        for lang, groups in (groups_by_lang or {}).items():
            clean = [[str(t).lower().strip() for t in g if str(t).strip()] for g in groups or []]
            self.groups[lang] = [g for g in clean if len(g) > 1]
            index = self._index.setdefault(lang, {})
            for group in self.groups[lang]:
                for term in group:
                    index.setdefault(term, set()).update(group)

    @classmethod
    def load(cls, content_dir):
        """Load ``synonyms.yaml`` from a content folder (missing: no synonyms)."""
        path = Path(content_dir) / "synonyms.yaml"
        return cls(yaml.safe_load(path.read_text("utf-8")) if path.exists() else {})

    def expand(self, term, lang="en"):
        """The term and its synonyms (single words and phrases)."""
        return self._index.get(lang, {}).get(term.lower(), {term.lower()})

    def filter_maps(self):
        """Per language, each term of one or two words -> its other terms (what the index-time filter uses)."""
        out = {}
        for lang, index in self._index.items():
            out[lang] = {term: sorted(group - {term}) for term, group in index.items()
                         if term.count(" ") <= 1 and group - {term}}
        return out

    def to_dict(self):
        """The groups by language, for the manifest."""
        return self.groups
