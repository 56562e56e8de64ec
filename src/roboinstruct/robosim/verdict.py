"""A RoboSim verdict: valid or not, why, where, and the counterexample that shows it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

ERROR_KINDS = ("PythonError", "RobotExecutionError", "StepBudgetExceeded", "SandboxError", "MeaningError")
CHECKS = ("reference", "strict")  # the paper's RoboSim; strict adds this project's meaning rules (quality)


@dataclass
class Verdict:
    valid: bool
    error_kind: str | None = None
    message: str = ""
    line: int | None = None
    paths: int = 0
    exhaustive: bool = False
    # For rejections: {"choices": [...], "trace": [...], "world": [...], "rooms": [...] | None}
    counterexample: dict | None = None
    stats: dict = field(default_factory=dict)
    # Which check made the verdict; a strict verdict also says whether the reference RoboSim accepted
    # the program (None: not run). A MeaningError names its rule.
    check: str = "reference"
    reference_valid: bool | None = None
    rule: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "Verdict":
        return cls(**{k: d[k] for k in cls.__dataclass_fields__ if k in d})

    def summary(self) -> str:
        scope = f"{self.paths} path{'s' if self.paths != 1 else ''}" + (", exhaustive" if self.exhaustive else "")
        if self.valid:
            return f"valid ({scope})"
        where = f" at line {self.line}" if self.line else ""
        return f"invalid: {self.error_kind}{where}: {self.message} ({scope})"

    def render(self) -> str:
        """Readable multi-line form: summary, then the counterexample as a numbered trace."""
        lines = [self.summary()]
        cx = self.counterexample
        if not cx:
            return "\n".join(lines)
        if cx.get("choices"):
            lines.append("choices on the failing path:")
            lines += [f"  - {c}" for c in cx["choices"]]
        if cx.get("trace"):
            lines.append("API calls on the failing path:")
            lines += [f"  {i:>3}. {t}" for i, t in enumerate(cx["trace"], 1)]
        if cx.get("world"):
            lines.append("world at failure:")
            lines += [f"  {w}" for w in cx["world"]]
        return "\n".join(lines)
