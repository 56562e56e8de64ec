"""The progress bars commands show (rich), one look everywhere; silent when not a terminal."""

from __future__ import annotations

import sys


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
