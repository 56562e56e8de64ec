"""What the `tabletop` verbs share: the PyBullet check, task sources, settings from flags, tables."""

from __future__ import annotations

from ...errors import MissingDependency
from ...settings import load_settings
from ..options import add_settings_flags, given


def need_pybullet() -> None:
    import importlib.util

    # find_spec, not import: importing pybullet prints its build time to stdout (and --json must stay clean)
    if importlib.util.find_spec("pybullet") is None:
        raise MissingDependency('the tabletop domain needs PyBullet: pip install -e ".[tabletop]"')


def add_verb(verbs, name: str, help: str, run, settings_class=None, json_help: str | None = None, build=None):
    """The verb's parser: `build(parser)` adds its own arguments, then a flag per field of its settings
    class (`settings(args)` reads them back) and `--json` when it prints JSON."""
    parser = verbs.add_parser(name, help=help)
    if build is not None:
        build(parser)
    if settings_class is not None:
        parser.set_defaults(settings_class=settings_class, flags=add_settings_flags(parser, settings_class))
    if json_help:
        parser.add_argument("--json", action="store_true", help=json_help)
    add_progress_flags(parser)
    parser.set_defaults(func=run)
    return parser


def add_progress_flags(parser) -> None:
    parser.add_argument("--progress", choices=("auto", "bars", "lines", "none"), default="auto",
                        help="bars on a terminal, plain log lines elsewhere (auto), or bars, lines, none")
    parser.add_argument("--quiet", dest="progress", action="store_const", const="none", help="no progress output")


def settings(args):
    """defaults (the class) < flags given, validated."""
    return load_settings(args.settings_class, None, given(args, args.flags))


def add_sources(parser, required: bool = True) -> None:
    src = parser.add_mutually_exclusive_group(required=required)
    src.add_argument("--task", action="append", metavar="NAME|FILE", help="a library task or task file (repeatable)")
    src.add_argument("--library", metavar="DIR", help="every task file in a folder (e.g. a generate run's tasks/)")


def candidates(args):
    from ...tabletop.tasks.sources import collect

    return collect([args.library]) if args.library else collect(args.task)


def verdict_table(verdicts, title: str) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    gensim = any(getattr(v, "gensim_verdict", None) for v in verdicts)  # a GenSim checkout: both verdicts
    for col in ("task file", "verdict", "stage", "seeds passed") + (("GenSim's rule",) if gensim else ()) + ("reason",):
        table.add_column(col, overflow="fold")
    for v in verdicts:
        colour = {"pass": "green", "fail": "red"}.get(v.status, "yellow")
        g = v.gensim_verdict or {}
        unrun = f" ({g.get('not_run')} not run)" if g and g.get("not_run") else ""
        extra = (f"{g.get('status', '')} {g.get('passed', '')}/{g.get('seeds', '')}{unrun}" if g else "",) if gensim else ()
        seeds = f"{v.passed}/{v.seeds}" + (f" ({v.not_run} not run)" if getattr(v, "not_run", 0) else "")
        table.add_row(v.file, f"[{colour}]{v.status}[/]", v.stage or "", seeds, *extra, v.reason)
    Console().print(table)


def validate(candidates, s, progress: str = "auto", every_oracle: bool | None = None):
    """Verdicts of `candidates` under ValidateSettings `s` (bars on a terminal, log lines elsewhere;
    `progress` is the verb's --progress; `every_oracle` overrides `s.every_oracle`)."""
    from ...tabletop.validate.run import validate_many, validate_on_ray
    from ..progress import reporter

    every = s.every_oracle if every_oracle is None else every_oracle
    if s.executor == "ray":
        return validate_on_ray(candidates, seeds=s.seeds, tau=s.tau, run_seed=s.seed, robot=s.robot,
                               every_oracle=every)
    with reporter(progress) as report:
        return validate_many(candidates, seeds=s.seeds, tau=s.tau, run_seed=s.seed, workers=s.workers, robot=s.robot,
                             progress=report.counter("validating tasks", len(candidates)), every_oracle=every)
