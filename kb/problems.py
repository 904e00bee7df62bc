"""Problems found in content: where (file and line), how bad, what is wrong and how to fix it."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One lint finding. ``str(problem)`` reads ``path:line: error: message (fix: ...)``."""

    path: str
    line: int
    severity: str  # "error" or "warning"
    message: str
    fix: str

    def __str__(self):
        return f"{self.path}:{self.line}: {self.severity}: {self.message} (fix: {self.fix})"

    def to_dict(self):
        """Plain dict for JSON output."""
        return {"path": self.path, "line": self.line, "severity": self.severity, "message": self.message, "fix": self.fix}
