"""Parsing of query-string parameters into typed values, with API errors for bad input."""

from assist_api.errors import APIError

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


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
