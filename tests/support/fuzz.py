"""Schemathesis over the app's own OpenAPI document: generated requests (valid ones and, in negative mode, ones
that break the document's schemas) for every operation, plus every method an operation does not have.

A response fails when it is a 5xx, when its status is not among the operation's documented ones, or when it is a
405 without an ``Allow`` header. The bounded form runs in the suite (``tests/api/test_fuzz.py``), the full form is
``scripts/api_fuzz.py``.

>>> report = fuzz(app, {"Authorization": "Bearer ..."}, max_examples=5)   # doctest: +SKIP
>>> report.problems                                                      # doctest: +SKIP
[]
"""

import collections
import warnings
from dataclasses import dataclass, field

METHODS = ("get", "put", "post", "delete", "patch")


@dataclass
class FuzzReport:
    """Requests sent, statuses seen, and every response that broke a rule (``method path -> status: why``)."""

    requests: int = 0
    statuses: collections.Counter = field(default_factory=collections.Counter)
    problems: list = field(default_factory=list)

    def add(self, method, path, status, documented, allow, detail=""):
        """Count one response and keep it when it breaks a rule."""
        self.requests += 1
        self.statuses[status] += 1
        why = None
        if status >= 500:
            why = "server error"
        elif str(status) not in documented and "default" not in documented:
            why = f"undocumented status (documented: {', '.join(sorted(documented))})"
        elif status == 405 and not allow:
            why = "405 without an Allow header"
        if why:
            self.problems.append(f"{method.upper()} {path} -> {status}: {why} {detail}".strip())

    def summary(self):
        """One line: requests, statuses, problems."""
        counts = ", ".join(f"{s}: {n}" for s, n in sorted(self.statuses.items()))
        return f"{self.requests} requests ({counts}); {len(self.problems)} problems"


def fuzz(app, headers, max_examples=10, negative=True, seed=1):
    """Run generated requests for every operation of ``app``'s OpenAPI document with ``headers``; a FuzzReport."""
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from schemathesis import GenerationMode

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    report = FuzzReport()
    modes = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE) if negative else (GenerationMode.POSITIVE,)
    for result in schema.get_all_operations():
        operation = result.ok()
        documented = set(operation.definition.raw.get("responses", {}))
        for mode in modes:
            strategy = operation.as_strategy(generation_mode=mode)

            @settings(max_examples=max_examples, deadline=None, database=None, derandomize=seed is not None,
                      suppress_health_check=list(HealthCheck), phases=_phases())
            @given(case=strategy)
            def run(case):
                response = case.call(headers=dict(headers))
                report.add(operation.method, case.formatted_path, response.status_code, documented,
                           response.headers.get("Allow") or response.headers.get("allow"),
                           _detail(response))

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # hypothesis notes about generated data are not our warnings
                try:
                    run()
                except Exception as exc:  # noqa: BLE001 - schemathesis cannot build a case for this mode
                    if type(exc).__name__ not in ("Unsatisfiable", "SkipTest", "Skipped", "InvalidArgument"):
                        raise
    unsupported_methods(app, schema.raw_schema, headers, report)
    return report


def unsupported_methods(app, document, headers, report):
    """Every method an operation does not document must be a 405 with ``Allow``."""
    client = app.test_client()
    for path, item in document["paths"].items():
        url = path.replace("{", "").replace("}", "")
        url = "".join(c if c.isalnum() or c in "/-_." else "1" for c in url)
        for method in METHODS:
            if method in item:
                continue
            response = client.open(url, method=method.upper(), headers=headers)
            report.add(method, path, response.status_code, {"405", "401", "404"}, response.headers.get("Allow"))
            if response.status_code != 405 and response.status_code not in (401, 404):
                report.problems.append(f"{method.upper()} {path} -> {response.status_code}: wanted 405")


def _phases():
    from hypothesis import Phase

    return [Phase.explicit, Phase.generate]


def _detail(response):
    try:
        body = response.json()
    except Exception:  # noqa: BLE001 - not JSON: the status says enough
        return ""
    return f"({body.get('error')})" if isinstance(body, dict) else ""
