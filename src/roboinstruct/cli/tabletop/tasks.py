"""`roboinstruct tabletop tasks`: the base library, validated (pass rates)."""

from __future__ import annotations

from .common import add_verb, need_pybullet, settings, validate, verdict_table


def register(verbs) -> None:
    from ...tabletop.validate.settings import ValidateSettings

    add_verb(verbs, "tasks", "the base library, validated (pass rates)", run, ValidateSettings)


def run(args) -> int:
    need_pybullet()
    s = settings(args)
    from ...tabletop.tasks.sources import collect, library

    verdicts = validate(collect(sorted(library())), s, args.progress, every_oracle=True)  # pass rates: every seed
    verdict_table(verdicts, f"Base library: {sum(v.ok for v in verdicts)}/{len(verdicts)} tasks pass ({s.seeds} seeds)")
    return 0
