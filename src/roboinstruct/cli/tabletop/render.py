"""`roboinstruct tabletop render`: a task's oracle episode as PNG (start/end) or GIF."""

from __future__ import annotations

from pathlib import Path

from ...errors import UserError
from .common import need_pybullet


def register(verbs) -> None:
    r = verbs.add_parser("render", help="render a task's oracle episode as PNG (start/end) or GIF")
    r.add_argument("task", metavar="TASK", help="a base-library task name or a task file")
    r.add_argument("--seed", type=int, default=0, help="episode seed (default 0)")
    r.add_argument("--out", required=True, help="FILE.png or FILE.gif")
    r.add_argument("--height", type=int, default=160, help="image height in pixels per view (default 160)")
    r.set_defaults(func=run)


def run(args) -> int:
    need_pybullet()
    from ...artifacts import atomic_write
    from ...tabletop.tasks.sources import collect
    from ...tabletop.validate.pictures import render_task

    out = Path(args.out)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("png", "gif"):
        raise UserError(f"--out {args.out}: give a .png or .gif file name")
    if not 40 <= args.height <= 960:
        raise UserError("--height must be between 40 and 960")
    (candidate,) = collect([args.task])
    data, result = render_task(candidate.source, args.seed, fmt, args.height)
    atomic_write(out, data)
    status = "goal reached" if result["ok"] else f"stopped at {result['stage']}: {result['reason']}"
    print(f"{out}: seed {args.seed}, {result['actions']} oracle actions, {status}")
    return 0
