"""Reply templates (``replies.yaml``): the only sentences a reply draft adds to an article's own text, kept by
writers in the content folder: greeting, a thank-you line, the link line, what happens next, sign-off.

Each entry is a text or a list of alternatives; the first alternative whose slots are all known is used, so
"about your {product} showing {error_code}" gives way to "about your {product}" when no code was given.

>>> t = ReplyTemplates.from_dict({"en": {"default": {"greeting": "Hello,", "sign_off": "Bye",
...                                                   "intro": ["About your {product}.", "Thanks."]}}})
>>> t.fill("en", "chat", "intro", {"product": "WW90T554DAW"})
'About your WW90T554DAW.'
>>> t.fill("en", "chat", "intro", {}), t.problems
('Thanks.', ())
"""

import re
import string
from pathlib import Path

import yaml

from kb.article import CHANNELS, LANGS
from kb.front_matter import load_yaml
from kb.problems import Problem

FILE = "replies.yaml"
SLOTS = {"product", "error_code", "link", "title", "sla", "team", "follow_up"}
REQUIRED = ("greeting", "sign_off")
KEYS = {"greeting", "intro", "steps_intro", "link", "next", "follow_up", "sign_off"}


def slots_of(text):
    """The ``{slot}`` names of a template text."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def duration(hours, lang="en"):
    """An SLA as a customer reads it after "within" ("w ciągu", so Polish is in the genitive): hours up to two
    days, whole days above.

    >>> duration(24), duration(72), duration(24, "pl"), duration(72, "pl"), duration(336, "pl"), duration(1, "pl")
    ('24 hours', '3 days', '24 godzin', '3 dni', '14 dni', '1 godziny')
    """
    days = hours // 24 if hours > 48 and hours % 24 == 0 else None
    if lang == "pl":
        if days:
            return f"{days} {'dnia' if days == 1 else 'dni'}"
        return f"{hours} {'godziny' if hours == 1 else 'godzin'}"
    return f"{days} days" if days else f"{hours} {'hour' if hours == 1 else 'hours'}"


def days_later(days, lang="en"):
    """A follow-up delay as a customer reads it after "after" ("po": Polish locative).

    >>> days_later(1), days_later(3), days_later(1, "pl"), days_later(3, "pl")
    ('1 day', '3 days', '1 dniu', '3 dniach')
    """
    if lang == "pl":
        return f"{days} {'dniu' if days == 1 else 'dniach'}"
    return f"{days} {'day' if days == 1 else 'days'}"


class ReplyTemplates:
    """Templates by language and channel (``default`` is used for a channel that has none of its own)."""

    link_base = None  # where the article links of a draft point (None: this server's /articles/)

    def __init__(self, entries=None, problems=(), path=FILE):
        self.entries = entries or {}
        self.problems = tuple(problems)
        self.path = path

    @classmethod
    def from_dict(cls, doc, path=FILE, lines=None):
        """Check and keep a parsed document; problems name the language, channel and key (and the line, given
        ``lines`` from ``key_lines``)."""
        lines = lines or {}
        problems, entries = [], {}

        def report(message, fix):
            names = [n for n in re.findall(r"[\w-]+(?:\.[\w-]+)+|[\w-]+", message) if n in lines]
            problems.append(Problem(path, lines.get(names[0], 1) if names else 1, "error", message, fix))

        if not isinstance(doc, dict):
            return cls({}, [Problem(path, 1, "error", "replies.yaml is not a mapping of languages",
                                    "start with 'en:'")], path)
        doc = dict(doc)
        link_base = doc.pop("link_base", None)
        if link_base is not None and not (isinstance(link_base, str) and re.match(r"^(https?://|/)\S*$", link_base)):
            report("link_base must be an http(s) address or a path",
                   "write e.g. link_base: https://help.example.com/articles/")
            link_base = None
        for lang, channels in doc.items():
            if lang not in LANGS or not isinstance(channels, dict):
                report(f"unknown language {lang!r} in replies.yaml",
                       f"use {', '.join(LANGS)}, each a mapping of channels")
                continue
            for channel, keys in channels.items():
                where = f"{lang}.{channel}"
                if channel not in (*CHANNELS, "default") or not isinstance(keys, dict):
                    report(f"unknown channel {where}", f"use default or one of {', '.join(CHANNELS)}")
                    continue
                entries.setdefault(lang, {})[channel] = _check_keys(where, keys, report)
            if "default" not in entries.get(lang, {}):
                report(f"{lang} has no default channel", f"add '{lang}: default:' with greeting and sign_off")
            else:
                for key in REQUIRED:
                    if key not in entries[lang]["default"]:
                        report(f"{lang}.default has no {key}", f"add {key} under {lang}.default")
        templates = cls(entries, problems, path)
        templates.link_base = link_base
        return templates

    @classmethod
    def load(cls, folder):
        """Load ``replies.yaml`` from a content folder or an index version's meta folder (missing: empty)."""
        path = Path(folder) / FILE
        if not path.exists():
            return cls({}, (), str(path))
        source = path.read_text("utf-8")
        try:
            doc = load_yaml(source)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            return cls({}, [Problem(str(path), mark.line + 1 if mark else 1, "error", "replies.yaml is not valid YAML",
                                    "fix the YAML syntax; quote texts that contain ':'")], str(path))
        return cls.from_dict(doc, str(path), key_lines(source))

    def has(self, lang):
        """Whether there are templates for a language."""
        return "default" in self.entries.get(lang, {})

    def raw(self, lang, channel, key):
        """The alternatives of a key for a language and channel (the channel's own, else the default's)."""
        by_channel = self.entries.get(lang, {})
        for name in (channel, "default"):
            if key in by_channel.get(name, {}):
                return by_channel[name][key]
        return None

    def fill(self, lang, channel, key, values, path_id=None):
        """The first alternative whose slots are all known, filled in; None when the key has none."""
        alternatives = self.raw(lang, channel, key)
        if isinstance(alternatives, dict):  # "next" is per escalation path
            alternatives = alternatives.get(path_id) or alternatives.get("default")
        known = {k: v for k, v in values.items() if v not in (None, "")}
        for text in alternatives or ():
            if slots_of(text) <= set(known):
                return text.format(**known)
        return None


def _check_keys(where, keys, report):
    out = {}
    for key, value in keys.items():
        if key not in KEYS:
            report(f"unknown key {where}.{key}", f"use {', '.join(sorted(KEYS))}")
            continue
        if key == "next":
            if not isinstance(value, dict):
                report(f"{where}.next must map escalation path ids (and default) to texts",
                       "write 'next: default: ...'")
                continue
            out[key] = {path: _texts(f"{where}.next.{path}", text, report) for path, text in value.items()}
        else:
            out[key] = _texts(f"{where}.{key}", value, report)
    return out


def _texts(where, value, report):
    texts = [value] if isinstance(value, str) else value if isinstance(value, list) else None
    if not texts or not all(isinstance(t, str) and t.strip() for t in texts):
        report(f"{where} must be a text or a list of texts", "write the sentence in quotes")
        return []
    good = []
    for text in texts:
        try:
            unknown = slots_of(text) - SLOTS
        except ValueError:
            report(f"{where} has an unclosed {{ or }}", "write slots as {product}; double a brace to show it")
            continue
        if unknown:
            report(f"{where} uses unknown slot(s) {', '.join(sorted(unknown))}", f"use {', '.join(sorted(SLOTS))}")
            continue
        good.append(re.sub(r"[ \t]+\n", "\n", text.strip()))
    return good


def key_lines(source):
    """Line of every key of a YAML mapping, by dotted path (``en.email.greeting``), for problems."""
    lines = {}

    def walk(node, prefix):
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                name = f"{prefix}.{key.value}" if prefix else str(key.value)
                lines[name] = key.start_mark.line + 1
                walk(value, name)

    try:
        walk(yaml.compose(source, Loader=yaml.SafeLoader), "")
    except yaml.YAMLError:
        pass
    return lines
