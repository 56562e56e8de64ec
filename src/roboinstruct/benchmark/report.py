"""Printing and rendering a run: per-task pass@1 table, verdict breakdown (terminal + HTML)."""

from __future__ import annotations

from pathlib import Path

from .model import VERDICTS
from .passk import summarize


def print_summary(rows: list[dict], tasks: str) -> None:
    from rich.console import Console
    from rich.table import Table

    s = summarize(rows)
    table = Table(title=f"pass@1 on {tasks} ({s['programs']} programs)")
    table.add_column("task")
    table.add_column("pass@1", justify="right")
    for v in VERDICTS:
        table.add_column(v, justify="right")
    for task, p in sorted(s["per_task"].items()):
        b = s["task_breakdown"].get(task, {})
        table.add_row(task, f"{p:.3f}", *(str(b.get(v, 0)) for v in VERDICTS))
    table.add_row("overall", f"{s['overall']:.3f}", *(str(s["breakdown"].get(v, 0)) for v in VERDICTS), style="bold")
    console = Console()
    console.print(table)
    total = max(1, s["programs"])
    console.print("errors: " + ", ".join(f"{v} {s['breakdown'].get(v, 0)} ({s['breakdown'].get(v, 0) / total:.1%})"
                                         for v in VERDICTS))


def write_report(rows: list[dict], path: Path, tasks: str) -> Path:
    from ..report import BarChart, Report, Table

    s = summarize(rows)
    rep = Report(f"Benchmark: {tasks}", meta={"programs": s["programs"], "pass@1": f"{s['overall']:.3f}"})
    rep.add(Table("pass@1 per task", ["task", "pass@1", *VERDICTS],
                  [[t, round(p, 3), *(s["task_breakdown"].get(t, {}).get(v, 0) for v in VERDICTS)]
                   for t, p in sorted(s["per_task"].items())]))
    rep.add(BarChart("Verdict breakdown", [(v, float(s["breakdown"].get(v, 0))) for v in VERDICTS]))
    rep.add(Table("pass@1 per prompt", ["task/prompt", "pass@1"],
                  [[k, round(v, 3)] for k, v in sorted(s["per_prompt"].items())]))
    bad = [r for r in rows if r["verdict"] in ("PythonError", "RobotExecutionError")][:300]
    rep.add(Table("Errors (first 300)", ["id", "task", "verdict", "message"],
                  [[r.get("id", ""), r["task"], r["verdict"], str(r.get("message", ""))[:200]] for r in bad]))
    return rep.write(path)
