"""Progress for logs (nohup, CI, `| tee`, notebooks): plain lines, not bars.

The same callback a bar gets — `tick(stage, done, total)` — prints one line when a stage starts
or finishes and otherwise at most every `every` seconds, with elapsed time and, once a stage
has moved, an estimate of what is left of it. `mode`: "auto" (bars on a terminal, lines
elsewhere), "bars", "lines", "none".
"""

from __future__ import annotations

import sys
import threading
import time

MODES = ("auto", "bars", "lines", "none")


def fmt_seconds(s: float) -> str:
    s = int(s)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"


class LineProgress:
    def __init__(self, stream=None, every: float = 30.0, clock=time.monotonic):
        self.stream = stream or sys.stderr
        self.every, self.clock = every, clock
        self.start = clock()
        self.last_line = None
        self.stages: dict[str, tuple[float, int, int]] = {}  # stage -> (started, done, total)

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = self.clock()
        first = stage not in self.stages
        started = now if first else self.stages[stage][0]
        previous_done = -1 if first else self.stages[stage][1]
        self.stages[stage] = (started, done, total)
        finished = total and done >= total and previous_done < total
        due = self.last_line is None or now - self.last_line >= self.every
        if first or finished or due:
            self.line(stage, done, total, now - started)

    def line(self, stage: str, done: int, total: int, spent: float) -> None:
        eta = ""
        if 0 < done < total and spent > 0:
            eta = f", about {fmt_seconds(spent / done * (total - done))} left in this stage"
        print(f"[{fmt_seconds(self.clock() - self.start)}] {stage}: {done}/{total}{eta}", file=self.stream, flush=True)
        self.last_line = self.clock()

    # A heartbeat: a long model request gives no tick for minutes; a log should still move.
    def __enter__(self) -> "LineProgress":
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=1)

    def _beat(self) -> None:
        while not self._stop.wait(min(self.every, 5.0)):
            if self.last_line is None or self.clock() - self.last_line < 2 * self.every:
                continue
            if self.stages:
                stage, (started, done, total) = list(self.stages.items())[-1]
                self.line(stage, done, total, self.clock() - started)
            else:  # a command that only logs notes (score, finetune): say it is still at the last one
                print(f"[{fmt_seconds(self.clock() - self.start)}] still working on: {self.last_note}",
                      file=self.stream, flush=True)
                self.last_line = self.clock()

    last_note = "starting"

    def note(self, text: str) -> None:
        print(f"[{fmt_seconds(self.clock() - self.start)}] {text}", file=self.stream, flush=True)
        self.last_line = self.clock()
        self.last_note = text.strip()[:120]


def heartbeat(every: float = 30.0):
    """For commands that log plain notes: a LineProgress whose `note` is the log, with a heartbeat
    so a long model call still shows a line in a log file at least every 2 x `every` seconds."""
    return LineProgress(every=every)


def choose_mode(mode: str, stream=None) -> str:
    stream = stream or sys.stderr
    if mode == "auto":
        return "bars" if stream.isatty() else "lines"
    return mode
