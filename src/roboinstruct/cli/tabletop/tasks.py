"""`roboinstruct tabletop tasks`: the base library, validated (pass rates)."""

from __future__ import annotations

from .common import need_pybullet, settings, settings_flags, validate, verdict_table


def register(verbs) -> None:
    from ...tabletop.validate.settings import ValidateSettings

    t = verbs.add_parser("tasks", help="the base library, validated (pass rates)")
    settings_flags(t, ValidateSettings)
    t.set_defaults(func=run)


def run(args) -> int:
    need_pybullet()
    s = settings(args)
    from ...tabletop.tasks.sources import collect, library

    verdicts = validate(collect(sorted(library())), s)
    verdict_table(verdicts, f"Base library: {sum(v.ok for v in verdicts)}/{len(verdicts)} tasks pass ({s.seeds} seeds)")
    return 0
