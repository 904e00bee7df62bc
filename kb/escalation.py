"""The escalation matrix (``escalation.yaml``): where a contact goes when first line cannot close it.

>>> m = EscalationMatrix.from_dict({"paths": [{"id": "x", "name": "X", "team": "T", "sla_hours": 24}]})
>>> m["x"].sla_hours
24
"""

from dataclasses import dataclass
from pathlib import Path

import yaml

from kb.problems import Problem


@dataclass(frozen=True)
class EscalationPath:
    """One path of the matrix: team, SLA, what to collect, identity check, follow-up call."""

    id: str
    name: str
    team: str
    sla_hours: int
    contact_category: str = "customer-service"
    channel: str = ""
    when: str = ""
    collect: tuple = ()
    identity_verification: bool = False
    follow_up_days: int = None
    triggers: tuple = ()

    def to_dict(self):
        """Plain dict for JSON."""
        return {"id": self.id, "name": self.name, "team": self.team, "sla_hours": self.sla_hours,
                "contact_category": self.contact_category, "channel": self.channel, "when": self.when,
                "collect": list(self.collect), "identity_verification": self.identity_verification,
                "follow_up_days": self.follow_up_days}


class EscalationMatrix(dict):
    """Escalation paths by id."""

    problems = ()

    @classmethod
    def from_dict(cls, doc, path="escalation.yaml"):
        """Build from the parsed YAML document; malformed entries become problems, not exceptions."""
        matrix, problems = cls(), []
        for i, raw in enumerate((doc or {}).get("paths") or []):
            try:
                entry = EscalationPath(
                    id=str(raw["id"]), name=str(raw.get("name", raw["id"])), team=str(raw["team"]),
                    sla_hours=int(raw["sla_hours"]), contact_category=raw.get("contact_category", "customer-service"),
                    channel=raw.get("channel", ""), when=raw.get("when", ""), collect=tuple(raw.get("collect") or ()),
                    identity_verification=bool(raw.get("identity_verification", False)),
                    follow_up_days=raw.get("follow_up_days"), triggers=tuple(str(t) for t in raw.get("triggers") or ()))
            except (KeyError, TypeError, ValueError) as exc:
                problems.append(Problem(path, 1, "error", f"escalation path #{i + 1} is malformed ({exc})",
                                        "give every path id, team and sla_hours (a number)"))
                continue
            matrix[entry.id] = entry
        matrix.problems = tuple(problems)
        return matrix

    @classmethod
    def load(cls, content_dir):
        """Load ``escalation.yaml`` from a content folder (missing file: empty matrix)."""
        path = Path(content_dir) / "escalation.yaml"
        if not path.exists():
            return cls()
        try:
            doc = yaml.safe_load(path.read_text("utf-8"))
        except yaml.YAMLError as exc:
            matrix = cls()
            mark = getattr(exc, "problem_mark", None)
            matrix.problems = (Problem(str(path), mark.line + 1 if mark else 1, "error", "escalation.yaml is not valid YAML",
                                       "fix the YAML syntax"),)
            return matrix
        return cls.from_dict(doc, str(path))
