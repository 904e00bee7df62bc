"""The product catalog and category tree, and product detection in free text.

>>> cat = Catalog.from_dicts({"products": [{"code": "WW90T554DAW", "name": "Washer", "category": "washing-machine",
...     "family": "WW90T", "skus": ["WW90T554DAW/S6"]}]})
>>> [d.product.code for d in cat.detect("my ww90t 554 daw/s6 shows 4C")]
['WW90T554DAW']
"""

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TOKEN = re.compile(r"[A-Za-z0-9]+")
_JOINERS = re.compile(r"^[\s\-/._]{0,2}$")


def normalize_code(text):
    """Model codes compare without case, spaces, dashes or slashes: ``ww-90t 554`` -> ``WW90T554``."""
    return re.sub(r"[^A-Z0-9]", "", str(text).upper())


@dataclass(frozen=True)
class Product:
    """One model of the catalog."""

    code: str
    name: str
    category: str
    family: str
    aliases: tuple = ()
    launch_year: int = None
    status: str = "active"
    skus: tuple = ()


@dataclass(frozen=True)
class Family:
    """A product family: models whose codes start with ``code`` (article pattern ``CODE*``)."""

    code: str
    series: str
    category: str
    description: str = ""
    launch_year: int = None
    status: str = "active"


@dataclass(frozen=True)
class Category:
    """A product or service category in the tree."""

    id: str
    name: str
    group: str
    group_name: str
    contact_category: str
    pl: str = ""
    words: tuple = ()


@dataclass(frozen=True)
class Detection:
    """A product (or only a family) found in text, with the matched text."""

    family: Family
    product: Product = None
    text: str = ""
    candidates: tuple = ()

    @property
    def category(self):
        """Category id of the detected product or family."""
        return self.product.category if self.product else self.family.category


@dataclass
class Catalog:
    """Products, families and categories, with lookups by code and pattern."""

    products: dict = field(default_factory=dict)
    families: dict = field(default_factory=dict)
    categories: dict = field(default_factory=dict)
    brand: str = ""

    def __post_init__(self):
        self._by_norm = {}
        for product in self.products.values():
            for code in (product.code, *product.skus):
                self._by_norm.setdefault(normalize_code(code), product)
        self._sorted = sorted(normalize_code(p.code) for p in self.products.values())
        self._fam_norm = {normalize_code(f.code): f for f in self.families.values()}

    @classmethod
    def from_dicts(cls, catalog, categories=None):
        """Build from the parsed ``catalog.yaml`` (and ``categories.yaml``) documents."""
        families = {}
        for f in catalog.get("families") or []:
            families[f["code"]] = Family(f["code"], f.get("series", f["code"]), f["category"], f.get("description", ""),
                                         f.get("launch_year"), f.get("status", "active"))
        products = {}
        for p in catalog.get("products") or []:
            prod = Product(p["code"], p.get("name", p["code"]), p["category"], p.get("family") or p["code"],
                           tuple(p.get("aliases") or ()), p.get("launch_year"), p.get("status", "active"),
                           tuple(p.get("skus") or ()))
            products[prod.code] = prod
            families.setdefault(prod.family, Family(prod.family, prod.family, prod.category))
        cats = {}
        for group in (categories or {}).get("groups") or []:
            for c in group.get("categories") or []:
                cats[c["id"]] = Category(c["id"], c.get("name", c["id"]), group["id"], group.get("name", group["id"]),
                                         group.get("contact_category", "customer-service"), c.get("pl", ""),
                                         tuple(c.get("words") or ()))
        return cls(products, families, cats, catalog.get("brand", ""))

    @classmethod
    def load(cls, content_dir):
        """Load ``catalog.yaml`` and ``categories.yaml`` from a content folder (missing files give an empty catalog)."""
        content_dir = Path(content_dir)
        docs = []
        for name in ("catalog.yaml", "categories.yaml"):
            path = content_dir / name
            docs.append(yaml.load(path.read_text("utf-8"), Loader=_YAML_LOADER) or {} if path.exists() else {})
        return cls.from_dicts(*docs)

    def product(self, code):
        """Return the product for a model code or SKU in any spelling, or None."""
        return self._by_norm.get(normalize_code(code))

    def family_of(self, code):
        """Return the family whose code is the longest prefix of ``code``, or None."""
        norm = normalize_code(code)
        for end in range(len(norm), 2, -1):
            fam = self._fam_norm.get(norm[:end])
            if fam:
                return fam
        return None

    def expand(self, pattern):
        """Product codes matched by an article's ``products`` entry: a code, or a family pattern ending in ``*``."""
        norm = normalize_code(pattern)
        if str(pattern).endswith("*"):
            lo = bisect.bisect_left(self._sorted, norm)
            hi = bisect.bisect_left(self._sorted, norm + "\x7f")
            return [self._by_norm[c].code for c in self._sorted[lo:hi]]
        product = self._by_norm.get(norm)
        return [product.code] if product else []

    def pattern_families(self, pattern):
        """Families an article pattern refers to (a family code, a model code, or ``PREFIX*``)."""
        return sorted({self.products[c].family for c in self.expand(pattern)})

    def _prefixed(self, norm):
        lo = bisect.bisect_left(self._sorted, norm)
        hi = bisect.bisect_left(self._sorted, norm + "\x7f")
        return self._sorted[lo:hi]

    def _match(self, norm, allow_suffix=True):
        """Resolve one normalized candidate string to a Detection, or None."""
        if len(norm) < 4 or norm.isdigit() or norm.isalpha():
            return None
        product = self._by_norm.get(norm)
        if product:
            return Detection(self.families[product.family], product)
        prefixed = self._prefixed(norm)
        family = self.family_of(norm)
        if prefixed and family:
            if len(prefixed) == 1:
                product = self._by_norm[prefixed[0]]
                return Detection(self.families[product.family], product)
            return Detection(family, None, candidates=tuple(self._by_norm[c].code for c in prefixed))
        if family and allow_suffix:
            # a longer code than any catalog code: a regional suffix we do not list, e.g. WW90T554DAW/XEF
            for end in range(len(norm) - 1, len(family.code) - 1, -1):
                product = self._by_norm.get(norm[:end])
                if product:
                    return Detection(family, product)
        return None

    def detect(self, text, max_tokens=4):
        """Find products and families mentioned in free text; longest match first, no overlaps."""
        tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
        found, used = [], set()
        for width in range(max_tokens, 0, -1):
            for i in range(len(tokens) - width + 1):
                span = range(i, i + width)
                if used.intersection(span):
                    continue
                if any(not _JOINERS.match(text[tokens[j][1]:tokens[j + 1][0]]) for j in range(i, i + width - 1)):
                    continue
                raw = text[tokens[i][0]:tokens[i + width - 1][1]]
                last_sep = text[tokens[i + width - 2][1]:tokens[i + width - 1][0]] if width > 1 else ""
                detection = self._match(normalize_code(raw), allow_suffix=width == 1 or "/" in last_sep)
                if detection:
                    used.update(span)
                    found.append((tokens[i][0], Detection(detection.family, detection.product, raw, detection.candidates)))
        found.sort(key=lambda pair: pair[0])
        unique, seen = [], set()
        for _, det in found:
            key = det.product.code if det.product else det.family.code
            if key not in seen:
                seen.add(key)
                unique.append(det)
        return unique
