"""Reading and changing single front matter fields of an article text without touching the rest of it.

>>> text = "---\\nid: a\\ntitle: A\\nstatus: draft\\n---\\n## Answer\\nYes.\\n"
>>> read_field(text, "status"), read_field("no front matter", "status")
('draft', None)
>>> read_field(set_status(text, "review"), "status")
'review'
>>> set_status("no front matter", "review")
'no front matter'
>>> read_field(set_field(text, "reviewed", "2026-11-29"), "reviewed")
'2026-11-29'
"""

import re

import yaml

FRONT = re.compile(r"\A---\n(.*?)\n---\n?", re.S)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def split(text):
    """``(front matter dict, body)`` or ``(None, text)`` when the text has no readable front matter."""
    match = FRONT.match(text.replace("\r\n", "\n"))
    if not match:
        return None, text
    try:
        meta = load_yaml(match.group(1))
    except yaml.YAMLError:
        return None, text
    return (meta, text.replace("\r\n", "\n")[match.end():]) if isinstance(meta, dict) else (None, text)


def load_yaml(source):
    """Safe YAML without anchors or aliases (a few hundred bytes of aliases can expand to megabytes)."""
    for token in yaml.scan(source, Loader=_LOADER):
        if isinstance(token, (yaml.AliasToken, yaml.AnchorToken)):
            raise yaml.MarkedYAMLError(problem="YAML anchors and aliases (& and *) are not allowed in front matter",
                                       problem_mark=token.start_mark)
    return yaml.load(source, Loader=_LOADER)


def read_field(text, name):
    """One front matter field as text, or None."""
    meta, _ = split(text)
    value = (meta or {}).get(name)
    return None if value is None else str(value).strip()


def dump(meta, body):
    """An article text from a front matter dict and a body."""
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, default_flow_style=None, width=1000)
    return "---\n" + front + "---\n" + body


def set_field(text, name, value):
    """The text with one scalar front matter field set in place (the rest of the text kept byte for byte);
    unchanged when it has no front matter to change."""
    meta, _ = split(text)
    if meta is None:
        return text
    text = text.replace("\r\n", "\n")
    match = FRONT.match(text)
    front = match.group(1)
    line = re.compile(rf"^{re.escape(name)}[ \t]*:.*$", re.M)
    front = line.sub(f"{name}: {value}", front, count=1) if line.search(front) else f"{front}\n{name}: {value}"
    return f"---\n{front}\n---\n" + text[match.end():]


def set_status(text, status):
    """The text with its front matter ``status`` changed in place; unchanged when it has no front matter."""
    return set_field(text, "status", status)
