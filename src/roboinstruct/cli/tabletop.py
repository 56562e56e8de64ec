"""`roboinstruct tabletop`: validate task files, list the base library and assets, render a task.

`validate` is a conformance checker too: `--gensim PATH` reads a GenSim checkout unchanged and
reports one verdict per file. `--json` output holds no timings, so the same command twice
prints byte-identical JSON.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import MissingDependency, RunFailed, UserError


def register(sub) -> None:
    p = sub.add_parser("tabletop", help="GenSim-style tabletop tasks: generate, validate, tasks, assets, render",
                       description="Tabletop manipulation tasks (GenSim's Task API) validated in PyBullet.")
    verbs = p.add_subparsers(dest="verb", metavar="VERB")
    v = verbs.add_parser("validate", help="validate task files on K distinct seeds")
    v.add_argument("paths", nargs="*", metavar="FILE|DIR|NAME", help="task files, folders, or base-library task names")
    v.add_argument("--gensim", metavar="PATH", help="also validate a GenSim checkout's task files, unchanged")
    v.add_argument("--library", action="store_true", help="validate the whole base library")
    _common(v)
    v.add_argument("--json", action="store_true", help="print verdicts as JSON (deterministic: no timings)")
    v.set_defaults(func=run_validate)
    t = verbs.add_parser("tasks", help="the base library, validated (pass rates)")
    _common(t)
    t.set_defaults(func=run_tasks)
    a = verbs.add_parser("assets", help="the asset catalogue")
    a.set_defaults(func=run_assets)
    r = verbs.add_parser("render", help="render a task's oracle episode as PNG (start/end) or GIF")
    r.add_argument("task", metavar="TASK", help="a base-library task name or a task file")
    r.add_argument("--seed", type=int, default=0, help="episode seed (default 0)")
    r.add_argument("--out", required=True, help="FILE.png or FILE.gif")
    r.add_argument("--height", type=int, default=160, help="image height in pixels per view (default 160)")
    r.set_defaults(func=run_render)
    from . import tabletop_generate, tabletop_learn

    tabletop_generate.register(verbs)
    tabletop_learn.register(verbs)
    p.set_defaults(func=lambda args: p.print_help() or 2)


def _common(p) -> None:
    p.add_argument("--seeds", type=int, default=8, help="distinct seeds per task (K, default 8)")
    p.add_argument("--tau", type=float, default=0.5, help="oracle success share needed (default 0.5)")
    p.add_argument("--seed", type=int, default=0, help="run seed the episode seeds derive from")
    p.add_argument("--workers", type=int, default=None, help="sandbox workers (default: number of cores)")
    p.add_argument("--executor", choices=("local", "ray"), default="local",
                   help="local sandbox workers, or fan out over Ray (RAY_ADDRESS or a local Ray)")


def _need_pybullet() -> None:
    import importlib.util

    # find_spec, not import: importing pybullet prints its build time to stdout (and --json must stay clean)
    if importlib.util.find_spec("pybullet") is None:
        raise MissingDependency('the tabletop domain needs PyBullet: pip install -e ".[tabletop]"')


def _check(args) -> None:
    if args.seeds < 1:
        raise UserError("--seeds must be at least 1")
    if not 0 < args.tau <= 1:
        raise UserError("--tau must be in (0, 1]")


def _validate(candidates, args):
    from rich.console import Console

    from ..tabletop.validate import validate_many, validate_on_ray
    from .progress import bar

    if args.executor == "ray":
        return validate_on_ray(candidates, seeds=args.seeds, tau=args.tau, run_seed=args.seed)
    console = Console(stderr=True)
    with bar(console=console) as progress:
        tid = progress.add_task("validating tasks", total=len(candidates))
        return validate_many(candidates, seeds=args.seeds, tau=args.tau, run_seed=args.seed, workers=args.workers,
                             progress=lambda: progress.advance(tid))


def _table(verdicts, title: str):
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for col in ("task file", "verdict", "stage", "seeds passed", "reason"):
        table.add_column(col, overflow="fold")
    for v in verdicts:
        colour = {"pass": "green", "fail": "red"}.get(v.status, "yellow")
        table.add_row(v.file, f"[{colour}]{v.status}[/]", v.stage or "", f"{v.passed}/{v.seeds}", v.reason)
    Console().print(table)


def run_validate(args) -> int:
    _need_pybullet()
    _check(args)
    from ..tabletop.sources import collect, library

    paths = list(args.paths) + (sorted(library()) if args.library else [])
    verdicts = _validate(collect(paths, args.gensim), args)
    if args.json:
        print(json.dumps([v.to_dict() for v in verdicts], indent=2, sort_keys=True))
    else:
        _table(verdicts, f"Tabletop task verdicts ({args.seeds} seeds each, τ={args.tau})")
    failed = sum(not v.ok for v in verdicts)
    if failed:
        raise RunFailed(f"{failed} of {len(verdicts)} tasks did not pass")
    return 0


def run_tasks(args) -> int:
    _need_pybullet()
    _check(args)
    from ..tabletop.sources import collect, library

    verdicts = _validate(collect(sorted(library())), args)
    _table(verdicts, f"Base library: {sum(v.ok for v in verdicts)}/{len(verdicts)} tasks pass ({args.seeds} seeds)")
    return 0


def run_assets(args) -> int:
    from rich.console import Console
    from rich.table import Table

    from ..tabletop.assets import catalogue

    table = Table(title="Tabletop asset catalogue")
    for col in ("name", "shape", "size (m)", "template", "pickable", "what"):
        table.add_column(col)
    for a in catalogue().values():
        table.add_row(a.name, a.shape, " x ".join(f"{v:g}" for v in a.size) if a.shape != "unsupported" else "",
                      ", ".join(a.template), "yes" if a.pickable else "", a.describe or a.reason)
    Console().print(table)
    return 0


def run_render(args) -> int:
    _need_pybullet()
    from ..tabletop.sources import collect

    out = Path(args.out)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("png", "gif"):
        raise UserError(f"--out {args.out}: give a .png or .gif file name")
    if not 40 <= args.height <= 960:
        raise UserError("--height must be between 40 and 960")
    (candidate,) = collect([args.task])
    data, result = render_task(candidate.source, args.seed, fmt, args.height)
    from ..artifacts import atomic_write

    atomic_write(out, data)
    status = "goal reached" if result["ok"] else f"stopped at {result['stage']}: {result['reason']}"
    print(f"{out}: seed {args.seed}, {result['actions']} oracle actions, {status}")
    return 0


def render_task(source: str, seed: int, fmt: str, height: int = 160) -> tuple[bytes, dict]:
    """Render in a sandbox worker (task code runs there); (image bytes, episode summary)."""
    import base64

    from ..sandbox import WorkerPool

    job = {"job": "roboinstruct.tabletop.render:render_job", "source": source, "seed": seed, "format": fmt,
           "height": height}
    with WorkerPool(1, memory_mb=1024, cpu_seconds=120) as pool:
        _, result = next(iter(pool.run([job])))
    if result.get("crashed") or "image" not in result:
        raise RunFailed(f"the task could not be rendered: {result.get('message', 'unknown failure')}")
    return base64.b64decode(result["image"]), result
