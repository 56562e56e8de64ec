"""What the speed benchmarks share: the program corpora, fresh copies per round, the interleaved
old-vs-new loop and its summary. `sandbox_speed.py` compares the sandbox with the previous design on
these; `robosim_speed.py` and `eval_speed.py` call its comparisons for their sandbox lines (one loop,
one fairness rule: every round verifies new programs, so no side replays a compile cache).
"""

from __future__ import annotations

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


def interleaved(rounds: int, old, new) -> tuple[list[float], list[float]]:
    """Seconds per round of old(r) and new(r), alternating."""
    olds, news = [], []
    for r in range(rounds):
        t0 = time.perf_counter()
        old(r)
        olds.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        new(r)
        news.append(time.perf_counter() - t0)
    return olds, news


def fresh(jobs: list[dict], r: int) -> list[dict]:
    """The round's own copies of the programs (a comment naming the round): in real use every program
    is new, so the previous design's long-lived worker must not replay its compile cache of round 1
    (robosim.explore's ProgramCache) in rounds 2 and 3 while the new design, one process per program,
    never can."""
    return [{**j, "program": f"{j['program'].rstrip()}\n# round {r}\n"} for j in jobs]


def summary(row: dict) -> dict:
    old = sum(row["old_s"]) / len(row["old_s"]) / row["n"] * 1e3
    new = sum(row["new_s"]) / len(row["new_s"]) / row["n"] * 1e3
    return {"old": round(old, 2), "new": round(new, 2), "ratio": round(new / old, 2)}
