"""RoboSim speed: roboinstruct vs the reference way (a fresh `python -c` per path).

Verifies a fixed set of 64 programs (valid and invalid, 8 task shapes x 8 vocabularies)
at 100 paths each, in this process on one core, and, in the same run, runs programs the
way the reference implementation does: one new Python process per path, each executing
the program against randomized API stubs. Prints programs/s for both and the ratio.

    python benchmarks/robosim_speed.py [--ref-programs 8] [--paths 100]

The reference side is measured on a subset (it is slow) and its per-program cost is
taken as the mean over that subset; its stubs are minimal, which flatters it.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

from roboinstruct.domain import load_domain
from roboinstruct.robosim.explore import explore
from roboinstruct.robosim.verifier import verification_task
from roboinstruct.sandbox import WorkerPool
from roboinstruct.sandbox.isolation import status

from legacy_pool import LegacyWorker

VOCAB = [
    ("apple", "kitchen", "Alice", "office"), ("stapler", "supply", "Bob", "lab"),
    ("mug", "break", "Carol", "lounge"), ("book", "library", "Dave", "study"),
    ("towel", "bathroom", "Erin", "bedroom"), ("marker", "classroom", "Frank", "conference"),
    ("charger", "printer", "Grace", "meeting"), ("umbrella", "lobby", "Heidi", "reception"),
]

TEMPLATES = {
    "search_and_bring": '''
def task_program():
    start = get_current_location()
    for room in get_all_rooms():
        if "{place}" not in room:
            continue
        go_to(room)
        if is_in_room("{obj}"):
            pick("{obj}")
            go_to(start)
            place("{obj}")
            say("I brought the {obj}")
            return
    go_to(start)
    say("I could not find the {obj}")
''',
    "survey": '''
def task_program():
    start = get_current_location()
    yes = 0
    for room in get_all_rooms():
        if "{room}" in room:
            go_to(room)
            if is_in_room("person"):
                answer = ask("", "Do you need a {obj}?", ["yes", "no"])
                if answer == "yes":
                    yes += 1
    go_to(start)
    say(str(yes) + " people need a {obj}")
''',
    "wait_and_ask": '''
def task_program():
    go_to("{place}")
    while not is_in_room("{person}"):
        time.sleep(1)
    reply = ask("{person}", "Can I take the {obj}?", ["yes", "no"])
    if reply == "yes":
        pick("{obj}")
        go_to("{room}")
        place("{obj}")
''',
    "deliver_everywhere": '''
def task_program():
    for room in get_all_rooms():
        if room.startswith("{room}"):
            go_to("{place}")
            pick("{obj}")
            go_to(room)
            place("{obj}")
    say("done")
''',
    "bug_place_unheld": '''
def task_program():
    start = get_current_location()
    for room in get_all_rooms():
        go_to(room)
        if is_in_room("{obj}"):
            pick("{obj}")
            break
    go_to(start)
    place("{obj}")
''',
    "bug_pick_absent": '''
def task_program():
    go_to("{place}")
    if not is_in_room("{obj}"):
        pick("{obj}")
    go_to("{room}")
''',
    "bug_unbound": '''
def task_program():
    go_to("{room}")
    if is_in_room("{person}"):
        answer = ask("{person}", "Is the {obj} here?", ["yes", "no"])
    say("{person} said " + answer)
''',
    "bug_ask_object": '''
def task_program():
    go_to("{place}")
    pick("{obj}")
    go_to("{room}")
    place("{obj}")
    ask("{obj}", "Are you ok?", ["yes", "no"])
''',
}

PRELUDE = '''
import random, sys
random.seed(int(sys.argv[1]))
held = None
def get_current_location(): return "start"
def get_all_rooms(): return ["kitchen", "office", "lab", "supply room", "bedroom", "lobby"]
def is_in_room(x): return random.random() < 0.5
def go_to(x): pass
def ask(p, q, options): return random.choice(options)
def say(m): pass
def pick(o):
    global held
    if held is not None: raise Exception("RobotPickError: already holding")
    held = o
def place(o):
    global held
    if held != o: raise Exception("RobotPlaceError: not holding")
    held = None
class _T:
    @staticmethod
    def sleep(s): pass
time = _T()
'''


def programs() -> list[tuple[str, str]]:
    out = []
    for name, tpl in TEMPLATES.items():
        for obj, place, person, room in VOCAB:
            out.append((name, tpl.format(obj=obj, place=place, person=person, room=room)))
    return out


def reference_seconds(program: str, paths: int) -> float:
    """One fresh interpreter per path, as the reference RoboSim does."""
    code = PRELUDE + program + "\ntry:\n    task_program()\nexcept Exception as e:\n    print(e)\n"
    t0 = time.perf_counter()
    for seed in range(paths):
        subprocess.run([sys.executable, "-c", code, str(seed)], capture_output=True, timeout=60)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--paths", type=int, default=100)
    ap.add_argument("--ref-programs", type=int, default=8, help="programs measured the reference way")
    ap.add_argument("--rounds", type=int, default=3, help="rounds of the sandbox-vs-previous-design comparison")
    args = ap.parse_args()
    progs = programs()

    t0 = time.perf_counter()
    verdicts, per = [], []
    for _name, src in progs:
        t = time.perf_counter()
        verdicts.append(explore(src, paths=args.paths, dfs_paths=args.paths))
        per.append(time.perf_counter() - t)
    ours = time.perf_counter() - t0
    valid_ms = [p * 1000 for p, v in zip(per, verdicts) if v.valid]

    # the sandbox: one zygote (started and warmed up once, as in a real run), a fresh confined
    # child per program; side by side with the design it replaced (one long-lived reused worker)
    dom = load_domain()
    opts = {"dfs_paths": args.paths}
    tasks = [verification_task(src, dom, 0, args.paths, opts) for _, src in progs]
    legacy = LegacyWorker()
    legacy.run(tasks[:1])
    with WorkerPool(workers=1) as pool:
        list(pool.run(tasks[:1]))
        old_s = new_s = 0.0
        for _ in range(args.rounds):  # interleaved, so machine load hits both alike
            t0 = time.perf_counter()
            old_verdicts = legacy.run(tasks)
            old_s += time.perf_counter() - t0
            t0 = time.perf_counter()
            new_verdicts = [r for _, r in sorted(pool.run(tasks), key=lambda x: x[0])]
            new_s += time.perf_counter() - t0
    legacy.close()
    assert [v["valid"] for v in old_verdicts] == [v["valid"] for v in new_verdicts] == [v.valid for v in verdicts]
    ours_isolated = new_s / args.rounds
    old_isolated = old_s / args.rounds

    # the worst case for us: every path runs (no early exhaustion) -> random paths only
    t0 = time.perf_counter()
    for _name, src in progs:
        explore(src, paths=args.paths, dfs_paths=1)
    ours_full = time.perf_counter() - t0

    subset = progs[:: max(1, len(progs) // args.ref_programs)][: args.ref_programs]
    ref = sum(reference_seconds(src, args.paths) for _, src in subset) / len(subset)

    n = len(progs)
    valid = sum(v.valid for v in verdicts)
    print(f"programs: {n} ({valid} valid, {n - valid} invalid), paths budget {args.paths}, one core")
    print(f"{'':34}{'programs/s':>12}{'ms/program':>12}{'vs reference':>14}")
    rows = [
        ("roboinstruct, in-process", n / ours, ours / n),
        ("roboinstruct, sandbox (fork/cand.)", n / ours_isolated, ours_isolated / n),
        ("previous design (reused worker)", n / old_isolated, old_isolated / n),
        ("roboinstruct, all paths random", n / ours_full, ours_full / n),
        (f"reference (python -c per path, {len(subset)} progs)", 1 / ref, ref),
    ]
    for label, rate, sec in rows:
        print(f"{label:34}{rate:12.1f}{sec * 1000:12.2f}{ref / sec:13.0f}x")
    print(f"valid programs: mean {statistics.mean(valid_ms):.2f} ms, max {max(valid_ms):.2f} ms "
          f"per program at {args.paths} paths (target <= 40 ms)")
    print(f"speed-up over the reference, sandboxed: {ref / (ours_isolated / n):.0f}x (target >= 1000x)")
    st = status()
    print(f"sandbox vs previous design: {ours_isolated / n * 1000:.2f} / {old_isolated / n * 1000:.2f} ms/program "
          f"= {ours_isolated / old_isolated:.2f}x (target <= 3x); isolation: "
          f"{'complete' if st.complete else 'incomplete: ' + '; '.join(st.missing)}")


if __name__ == "__main__":
    main()
