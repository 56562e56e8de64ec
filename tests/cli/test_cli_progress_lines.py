"""Progress in a log: a line per stage start and finish, at most one per interval in between,
an estimate of what is left, and a heartbeat when nothing ticks."""

from __future__ import annotations

import io
import time

from roboinstruct.cli.progress_lines import LineProgress, choose_mode


def test_lines_at_transitions_and_at_most_every_interval():
    now = [0.0]
    out = io.StringIO()
    p = LineProgress(out, every=30, clock=lambda: now[0])
    for i in range(1, 11):  # 10 requests, 5 s apart: a start line, one interval line, the finish line
        now[0] += 5
        p("programs (attempt 0)", i, 10)
    lines = out.getvalue().splitlines()
    assert "programs (attempt 0): 1/10" in lines[0]
    assert lines[-1].endswith("programs (attempt 0): 10/10")
    assert len(lines) == 3 and "left in this stage" in lines[1]
    p("verify", 1, 4)  # a new stage always shows
    assert out.getvalue().splitlines()[-1].endswith("verify: 1/4")


def test_heartbeat_when_nothing_ticks():
    out = io.StringIO()
    with LineProgress(out, every=0.05) as p:
        p("instalign (revise)", 0, 3)
        time.sleep(0.4)
    assert out.getvalue().count("instalign (revise): 0/3") >= 2


def test_auto_mode_is_lines_outside_a_terminal():
    assert choose_mode("auto", io.StringIO()) == "lines" and choose_mode("none") == "none"


def test_a_command_that_only_logs_notes_still_shows_a_heartbeat():
    out = io.StringIO()
    with LineProgress(out, every=0.05) as p:
        p.note("generating 80 of 80 prompts x 1 samples")
        time.sleep(0.4)
    lines = out.getvalue().splitlines()
    assert "generating 80 of 80 prompts" in lines[0]
    assert any("still working on: generating 80 of 80 prompts" in x for x in lines[1:])



def test_reporter_gives_every_command_lines_outside_a_terminal(capsys):
    from roboinstruct.cli.progress import reporter

    with reporter("lines") as report:
        advance = report.counter("validating tasks", 3)
        for _ in range(3):
            advance()
        report.note("done")
    err = capsys.readouterr().err.splitlines()
    assert "validating tasks: 0/3" in err[0] and err[-2].endswith("validating tasks: 3/3") and err[-1].endswith("done")
