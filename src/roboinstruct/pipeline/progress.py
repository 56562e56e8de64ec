"""One honest progress model for a generation run: what the bars and log lines are told.

The callback is the one every command uses: `progress(stage, done, total)`. This module keeps it
truthful over a whole run, however many rounds and calls a stage takes:
  - done and total count the stage's work over the run (they only grow), not one call's;
  - a call's last item is held back until the stage's records are written (`settle`), so a
    stage never reads finished while its results are still only in memory;
  - `overall` reports the run's own progress: pairs of --num, and rounds of the budget.
"""

from __future__ import annotations

from typing import Callable

Progress = Callable[[str, int, int], None]
PAIRS = "pairs (of --num)"
ROUNDS = "rounds (of the budget)"


class StageProgress:
    def __init__(self, sink: Progress | None):
        self.sink = sink
        self.settled: dict[str, list[int]] = {}  # stage -> [done, total] whose records are written
        self.in_flight: dict[str, int] = {}      # stage -> items of calls whose records are not yet written
        self.shown: dict[str, tuple[int, int]] = {}
        self.expected: dict[str, int] = {}      # stage -> total the run already knows it will reach

    def expect(self, stage: str, n: int) -> None:
        """n more items of this stage will come, in calls not yet started (InstAlign's groups): show
        the whole stage's total now, not one group's."""
        base = self.settled.setdefault(stage, [0, 0])
        self.expected[stage] = base[1] + self.in_flight.get(stage, 0) + n
        self._emit(stage, base[0], self.expected[stage])

    def start(self, stage: str, n: int) -> Callable[[int, int], None]:
        """A call of n items begins; returns the call's own (done, total) callback."""
        base = self.settled.setdefault(stage, [0, 0])
        before = self.in_flight.get(stage, 0)
        self.in_flight[stage] = before + n
        self._emit(stage, base[0] + before, base[1] + before + n)

        def tick(done: int, total: int) -> None:
            self._emit(stage, base[0] + before + min(done, n - 1), base[1] + before + n)
        return tick

    def settle(self, *stages: str) -> None:
        """The stages' records are on disk: what was in flight counts as done."""
        for stage in stages:
            n = self.in_flight.pop(stage, 0)
            if stage not in self.settled:
                continue
            base = self.settled[stage]
            base[0] += n
            base[1] += n
            self._emit(stage, base[0], base[1])

    def overall(self, pairs: int, num: int, rounds_used: int, rounds: int) -> None:
        self._emit(PAIRS, min(pairs, num), num)
        self._emit(ROUNDS, rounds_used, rounds)

    def _emit(self, stage: str, done: int, total: int) -> None:
        old = self.shown.get(stage, (0, 0))
        done, total = max(done, old[0]), max(total, old[1], self.expected.get(stage, 0))  # never backwards
        if self.sink is not None and (stage not in self.shown or (done, total) != old):
            self.sink(stage, done, total)
        self.shown[stage] = (done, total)
