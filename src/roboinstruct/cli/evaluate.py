"""`roboinstruct evaluate`: score programs on a task suite; resumable JSONL in, JSONL out.

Rows already in OUT (same id, or same task/prompt/program when rows carry no id) are
skipped; new rows are appended and fsynced one by one, so a killed run resumes where it
stopped. Prints the per-task pass@1 table and the verdict breakdown; writes an HTML report.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from ..artifacts import JsonlSink, read_finished, read_objects
from ..errors import UserError


def register(sub) -> None:
    p = sub.add_parser("evaluate", help="score robot programs on a benchmark (pass@1, error breakdown)",
                       description="Evaluate programs on the built-in suite, a directory of YAML tasks, or "
                                   "RoboEval's official task files (roboeval:PATH).")
    p.add_argument("--tasks", default="builtin", help="builtin | roboeval:PATH | DIR of YAML tasks (default: builtin)")
    p.add_argument("--programs", required=True, metavar="IN.jsonl",
                   help='rows {"task": NAME, "prompt_index": i, "program": "..."}; other fields are kept')
    p.add_argument("--out", required=True, metavar="OUT.jsonl", help="evaluated rows (resumes if it exists)")
    p.add_argument("--workers", type=int, default=None, help="sandbox worker processes (default: number of cores)")
    p.add_argument("--report", metavar="HTML", help="HTML report (default: OUT with .html)")
    p.add_argument("--step-limit", type=int, default=None, help="step budget per state run (default 5000)")
    p.set_defaults(func=run)


def _key(row: dict) -> str:
    if "id" in row:
        return "id:" + json.dumps(row["id"])
    blob = json.dumps([row.get("task"), row.get("prompt_index", 0), row.get("program")])
    return "h:" + hashlib.sha256(blob.encode()).hexdigest()


def _read_rows(path: Path, suite: dict) -> list[dict]:
    rows, seen = [], set()
    for n, row in read_objects(path):
        if not isinstance(row.get("program"), str) or not isinstance(row.get("task"), str):
            raise UserError(f"{path}:{n}: each row needs string fields 'task' and 'program'")
        if row["task"] not in suite:
            raise UserError(f"{path}:{n}: unknown task {row['task']!r}; this suite has: {', '.join(suite)}")
        pi = row.setdefault("prompt_index", 0)
        if not isinstance(pi, int) or not 0 <= pi < len(suite[row["task"]].prompts):
            raise UserError(f"{path}:{n}: prompt_index {pi!r} out of range for {row['task']} "
                            f"({len(suite[row['task']].prompts)} prompts)")
        key = _key(row)
        if key in seen and "id" in row:
            raise UserError(f"{path}:{n}: duplicate id {row['id']!r}; ids must be unique")
        seen.add(key)
        rows.append(row)
    return rows


def _done_rows(out: Path) -> list[dict]:
    return read_finished(out, "verdict")  # a torn last line from a kill: that row is redone


def run(args) -> int:
    from ..benchmark.evaluate import DEFAULT_STEP_LIMIT, evaluate_programs
    from ..benchmark.suite import load_tasks
    from .progress import bar as progress_bar

    if args.workers is not None and args.workers < 1:
        raise UserError("--workers must be at least 1")
    suite = load_tasks(args.tasks)
    src, out = Path(args.programs), Path(args.out)
    rows = _read_rows(src, suite)
    done = {_key(r) for r in _done_rows(out)}
    todo = [r for r in rows if _key(r) not in done]
    with JsonlSink(out) as sink, progress_bar("evaluating") as bar:
        task = bar.add_task("evaluate", total=len(todo))

        def write(_i, row):
            sink.write(row)
            bar.advance(task)

        if todo:
            evaluate_programs(todo, args.tasks, workers=args.workers, on_result=write,
                              step_limit=args.step_limit or DEFAULT_STEP_LIMIT)
    wanted = {_key(r) for r in rows}
    final = [r for r in _done_rows(out) if _key(r) in wanted]
    from ..benchmark.report import print_summary, write_report

    print_summary(final, args.tasks)
    report = write_report(final, Path(args.report) if args.report else out.with_suffix(".html"), args.tasks)
    print(f"{len(todo)} evaluated; {len(rows) - len(todo)} already in {out}; report: {report}", file=sys.stderr)
    return 0
