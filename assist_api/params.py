"""Request input as typed values, with 400s that name the parameter: query-string parameters and JSON bodies.

>>> int_param({"limit": "5"}, "limit", 10, 1, 100)
5
"""

import math

from flask import request

from assist_api.errors import APIError

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}
MAX_TEXT = 20_000


def int_param(args, name, default, lo, hi):
    """An integer between lo and hi, or the default when absent."""
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise APIError(f"bad_{name}", f"{name} must be a whole number from {lo} to {hi}") from None
    if not lo <= value <= hi:
        raise APIError(f"bad_{name}", f"{name} must be a whole number from {lo} to {hi}")
    return value


def bool_param(args, name, default=False):
    """A boolean flag: 1/true/yes/on or 0/false/no/off."""
    raw = args.get(name)
    if raw is None:
        return default
    if raw.lower() in TRUE:
        return True
    if raw.lower() in FALSE:
        return False
    raise APIError(f"bad_{name}", f"{name} must be true or false")


def str_param(args, name, required=False, max_length=500):
    """A trimmed string (None when absent and not required)."""
    raw = args.get(name)
    if raw is None or not raw.strip():
        if required:
            raise APIError(f"missing_{name}", f"the parameter {name} is required")
        return None
    if len(raw) > max_length:
        raise APIError(f"{name}_too_long", f"{name} is longer than {max_length} characters")
    return raw.strip()


def json_body(fields, optional_body=False):
    """The request's JSON object with typed fields: ``{name: (type, required)}``; unknown keys are refused.

    With ``optional_body`` an empty body counts as ``{}`` (for actions whose body is optional).
    """
    body = request.get_json(silent=True)
    if body is None and optional_body and not request.get_data():
        body = {}
    if not isinstance(body, dict):
        raise APIError("bad_json", "send a JSON object with Content-Type: application/json")
    unknown = set(body) - set(fields)
    if unknown:
        raise APIError("unknown_field", f"unknown field(s): {', '.join(sorted(unknown))}")
    return {name: _field(name, body.get(name), kind, required) for name, (kind, required) in fields.items()}


VERBATIM = {"text", "body", "answer"}  # texts kept byte for byte (an article's final newline is part of it)


def _field(name, value, kind, required):
    if value is None:
        if required:
            raise APIError(f"missing_{name}", f"{name} is required")
        return None
    if kind is str and isinstance(value, (int, float)) and not isinstance(value, bool) and name == "contact_id":
        value = str(value)
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if kind is float and isinstance(value, float) and not math.isfinite(value):
        raise APIError(f"bad_{name}", f"{name} must be a finite number")
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise APIError(f"bad_{name}", f"{name} must be {'text' if kind is str else kind.__name__}")
    if kind is str:
        if len(value) > MAX_TEXT:
            raise APIError(f"{name}_too_long", f"{name} is longer than {MAX_TEXT} characters")
        if any(0xD800 <= ord(c) <= 0xDFFF for c in value):
            raise APIError(f"bad_{name}", f"{name} contains an invalid character (a lone surrogate)")
        return value if name in VERBATIM else value.strip()
    if kind is int and not -2**31 <= value < 2**31:
        raise APIError(f"bad_{name}", f"{name} is out of range")
    return value
