"""Shared test data for fine-tuning and scoring tests (a module, not conftest, so both dirs import it)."""

from __future__ import annotations

import hashlib
import json

PAIRS = [
    ("Go to the kitchen and say hello.", 'def task_program():\n    go_to("kitchen")\n    say("hello")\n'),
    ("Check if there is an apple in the kitchen and tell me.",
     'def task_program():\n    start = get_current_location()\n    go_to("kitchen")\n    found = is_in_room("apple")\n'
     '    go_to(start)\n    say("There is an apple" if found else "No apple")\n'),
    ("Bring the stapler from the office to the lobby.",
     'def task_program():\n    go_to("office")\n    pick("stapler")\n    go_to("lobby")\n    place("stapler")\n'),
    ("Ask Alice in the lab if she wants coffee and tell me her answer.",
     'def task_program():\n    start = get_current_location()\n    go_to("lab")\n'
     '    answer = ask("Alice", "Do you want coffee?", ["yes", "no"])\n    go_to(start)\n'
     '    say("Alice said " + answer)\n'),
]
RUN_FINGERPRINT = "0123abcd4567"


def write_run(path, pairs=PAIRS, fingerprint=RUN_FINGERPRINT):
    """A directory shaped like a `roboinstruct generate` run (dataset.jsonl + manifest.json)."""
    path.mkdir(parents=True, exist_ok=True)
    body = "".join(json.dumps({"id": f"i{n}", "instruction": a, "program": b}) + "\n" for n, (a, b) in enumerate(pairs))
    (path / "dataset.jsonl").write_text(body)
    manifest = {"kind": "roboinstruct.dataset", "fingerprint": fingerprint, "config": {"mode": "robo-instruct"},
                "domain": {"name": "service_robot", "source": "service_robot"},
                "files": {"dataset.jsonl": hashlib.sha256(body.encode()).hexdigest(), "rows": len(pairs)}}
    (path / "manifest.json").write_text(json.dumps(manifest))
    return path
