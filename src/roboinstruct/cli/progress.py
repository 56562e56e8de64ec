"""The progress bars commands show (rich), one look everywhere; silent when not a terminal."""

from __future__ import annotations

import sys
from contextlib import contextmanager


def bar(label: str = "{task.description:<28}", console=None, transient: bool = True):
    """A `rich.progress.Progress` with a label, bar, done/total and time remaining."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    enabled = console.is_terminal if console is not None else sys.stderr.isatty()
    return Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    console=console, transient=transient, disable=not enabled)


def model_progress_bar(console):
    """A bar for the first-use GGUF assembly: (context manager, (done, total) callback)."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn

    progress = Progress(TextColumn("preparing model"), BarColumn(), DownloadColumn(), console=console, transient=True)
    task = progress.add_task("model", total=None)
    return progress, lambda done, total: progress.update(task, completed=done, total=total)


class Reporter:
    """What a command reports through: `tick(stage, done, total)`, `note(text)`, and `counter(stage,
    total)` for loops that only know "one more done"."""

    def __init__(self, tick, note):
        self.tick, self.note = tick, note

    def counter(self, stage: str, total: int):
        done = [0]
        self.tick(stage, 0, total)

        def advance(n: int = 1) -> None:
            done[0] += n
            self.tick(stage, done[0], total)
        return advance


@contextmanager
def reporter(mode: str = "auto", console=None):
    """One progress surface for every command: rich bars on a terminal, plain timestamped lines with a
    heartbeat anywhere else (a log, CI, a notebook), nothing with mode "none"."""
    from .progress_lines import LineProgress, choose_mode

    if console is None:
        from rich.console import Console

        console = Console(stderr=True)
    mode = choose_mode(mode)
    if mode == "bars":
        with bar(console=console, transient=False) as b:
            tasks: dict[str, int] = {}

            def tick(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = b.add_task(stage, total=total)
                b.update(tasks[stage], completed=done, total=total)
            yield Reporter(tick, console.print)
    elif mode == "lines":
        with LineProgress() as lines:
            yield Reporter(lines, lines.note)
    else:
        yield Reporter(lambda stage, done, total: None, console.print)
