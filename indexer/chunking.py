"""Articles to chunks: one per ``##`` section, long sections split at paragraphs with a little overlap.

>>> from kb.article import parse_article
>>> art, _ = parse_article("---\\nid: a\\ntitle: T\\n---\\n## Answer\\nOne.\\n\\nTwo.\\n", "a.md")
>>> [(c.chunk_id, c.embed_text) for c in chunk_article(art)]
[('a#answer', 'T\\nAnswer\\nOne.\\n\\nTwo.')]
"""

import hashlib
from dataclasses import asdict, dataclass

from kb.render import to_text

# MiniLM's window is 256 word pieces; title, heading and special tokens take some of it.
DEFAULT_MAX_TOKENS = 230


@dataclass(frozen=True)
class Chunk:
    """A searchable piece of an article: its section text plus the article's metadata."""

    chunk_id: str
    article_id: str
    anchor: str
    heading: str
    text: str
    embed_text: str
    part: int = 0

    @property
    def text_hash(self):
        """Hash of the embedded text: the embedding cache key (with the model name)."""
        return hashlib.sha256(self.embed_text.encode("utf-8")).hexdigest()[:20]

    def to_dict(self):
        """Plain dict for the chunk table."""
        return asdict(self)


def _word_tokens(text):
    # a conservative estimate of word pieces when no tokenizer is at hand
    return int(len(text.split()) * 1.4) + 1


def split_paragraphs(paragraphs, budget, count, overlap=1):
    """Group paragraphs into pieces of at most ``budget`` tokens, repeating ``overlap`` paragraph(s)."""
    pieces, current, size = [], [], 0
    for para in paragraphs:
        n = count(para)
        if current and size + n > budget:
            pieces.append(current)
            current = current[-overlap:] if overlap and count(current[-1]) < budget // 3 else []
            size = sum(count(p) for p in current)
        if n > budget:  # one huge paragraph: split it by sentences-ish, at word boundaries
            words, step = para.split(), max(1, int(budget / 1.4))
            for i in range(0, len(words), step):
                pieces.append(current + [" ".join(words[i:i + step])])
                current, size = [], 0
            continue
        current.append(para)
        size += n
    if current:
        pieces.append(current)
    return pieces


def chunk_article(article, max_tokens=DEFAULT_MAX_TOKENS, count=None):
    """Chunks of one article; ``count`` measures tokens (the embedder's tokenizer when available)."""
    count = count or _word_tokens
    chunks = []
    for section in article.sections:
        text = to_text(section.markdown)
        heading = section.heading or article.title
        prefix = f"{article.title}\n{section.heading}\n" if section.heading else f"{article.title}\n"
        budget = max(32, max_tokens - count(prefix))
        paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()] or [""]
        pieces = split_paragraphs(paragraphs, budget, count) if count(text) > budget else [paragraphs]
        for part, paras in enumerate(pieces):
            body = "\n\n".join(paras)
            chunk_id = f"{article.id}#{section.anchor}" + (f"~{part}" if part else "")
            chunks.append(Chunk(chunk_id, article.id, section.anchor, heading, body, (prefix + body).strip(), part))
    return chunks
