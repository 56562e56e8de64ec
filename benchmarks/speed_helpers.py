"""What the speed benchmarks share: the program corpora, fresh copies per round, the interleaved
old-vs-new loop and its summary. `sandbox_speed.py` compares the sandbox with the previous design on
these; `robosim_speed.py` and `eval_speed.py` call its comparisons for their sandbox lines (one loop,
one fairness rule: every round verifies new programs, so no side replays a compile cache).
"""

from __future__ import annotations

import os
import time

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


def programs() -> list[tuple[str, str]]:
    out = []
    for name, tpl in TEMPLATES.items():
        for obj, place, person, room in VOCAB:
            out.append((name, tpl.format(obj=obj, place=place, person=person, room=room)))
    return out



def pairs(suite) -> list[dict]:
    out = []
    for name, task in suite.items():
        programs = [task.reference, *task.wrong.values()]
        for i in range(len(task.prompts)):
            for j, p in enumerate(programs):
                out.append({"task": name, "prompt_index": i, "program": f"{p}\n# completion {i}.{j}\n"})
    return out


SETTLE_S = 0.05  # after a side's round, before its CPU is read: its last child has exited (a zombie, counted)


def tree_cpu(pid: int) -> float:
    """CPU seconds used so far by process `pid` and every process below it: each live or exited-but-
    unreaped process's own time, plus what each has reaped (cutime/cstime), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total, todo, seen = 0.0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            fields = open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()
            utime, stime, cutime, cstime = (int(x) for x in fields[11:15])
            total += (utime + stime + cutime + cstime) / tick
            for task in os.listdir(f"/proc/{p}/task"):
                todo += [int(c) for c in open(f"/proc/{p}/task/{task}/children").read().split()]
        except (OSError, ValueError):
            pass  # gone in between: its time is in its reaper's now
    return total


def interleaved(rounds: int, old, new, old_pid=None, new_pid=None) -> dict:
    """Per round of old(r) and new(r), alternating: wall seconds, and CPU seconds of this process plus
    the side's process tree (`old_pid()`/`new_pid()`: its root), which machine load distorts far less
    than wall time (a shared core takes the CPU away at every hand-off between processes)."""
    out = {"old_s": [], "new_s": [], "old_cpu_s": [], "new_cpu_s": []}
    for r in range(rounds):
        for side, fn, pid in (("old", old, old_pid), ("new", new, new_pid)):
            c0 = time.process_time() + (tree_cpu(pid()) if pid else 0.0)
            t0 = time.perf_counter()
            fn(r)
            out[f"{side}_s"].append(time.perf_counter() - t0)
            c1 = time.process_time()
            time.sleep(SETTLE_S)
            out[f"{side}_cpu_s"].append(c1 - c0 + (tree_cpu(pid()) if pid else 0.0))
    return out


def fresh(jobs: list[dict], r) -> list[dict]:
    """The round's own copies of the programs (a comment naming the round): in real use every program
    is new, so the previous design's long-lived worker must not replay its compile cache of round 1
    (robosim.explore's ProgramCache) in rounds 2 and 3 while the new design, one process per program,
    never can."""
    return [{**j, "program": f"{j['program'].rstrip()}\n# round {r}\n"} for j in jobs]


def summary(row: dict) -> dict:
    """ms per unit, old and new, and their ratio: wall time, and CPU time where it was measured."""
    def per(key):
        return sum(row[key]) / len(row[key]) / row["n"] * 1e3

    out = {"old": round(per("old_s"), 2), "new": round(per("new_s"), 2)}
    out["ratio"] = round(out["new"] / out["old"], 2)
    if row.get("old_cpu_s"):
        out["old_cpu"], out["new_cpu"] = round(per("old_cpu_s"), 2), round(per("new_cpu_s"), 2)
        out["cpu_ratio"] = round(out["new_cpu"] / out["old_cpu"], 2)
    if row.get("judge_cpu_s"):
        out["judge_cpu"] = round(per("judge_cpu_s"), 2)
    return out
