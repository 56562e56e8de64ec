"""What a meaning check says about a pair: one finding per broken rule, with where and why."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Finding:
    rule: str            # e.g. "gate:beyond-api", "placeholder", "ask-presence"
    reason: str          # one line a reader can check against the pair
    line: int | None = None  # program line, when the rule is about the program

    def to_dict(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        where = f" (line {self.line})" if self.line else ""
        return f"{self.rule}{where}: {self.reason}"
