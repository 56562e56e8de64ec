"""A scripted fake model for pipeline tests: answers by what a prompt asks for (a test double; real runs use roboinstruct.llm)."""

from __future__ import annotations

import json
import random
import re

from roboinstruct.llm.types import Response, Usage

TASKS = [
    "Go to the kitchen and check if there is an apple; if there is, bring it to the living room.",
    "Ask Sarah in her office whether she wants tea or coffee and tell me her answer.",
    "Check every bedroom for a pillow and tell me which bedrooms have none.",
    "Wait in the lobby until a visitor arrives, then greet them and take them to the meeting room.",
    "Find a charger in any office and bring it to the conference room.",
    "Go to the garage and say that dinner is ready.",
    "Ask everyone in the labs if they need more paper and report how many said yes.",
    "Take the mail from the mail room to Alex's office.",
    "Go to the kitchen and check if there is an apple; if there is, bring it to the living room please.",  # near-dup
]

GOOD = {
    "apple": '''def task_program():
    go_to("kitchen")
    if is_in_room("apple"):
        pick("apple")
        go_to("living room")
        place("apple")
''',
    "charger": '''def task_program():
    start = get_current_location()
    for room in get_all_rooms():
        if "office" in room:
            go_to(room)
            if is_in_room("charger"):
                pick("charger")
                go_to("conference room")
                place("charger")
                break
    go_to(start)
''',
}
# invalid on some path: places the charger even when none was found
BAD_CHARGER = GOOD["charger"].replace("                break\n    go_to(start)\n",
                                      "                break\n    go_to(\"conference room\")\n    place(\"charger\")\n")
GENERIC = '''def task_program():
    go_to("{place}")
    say("{msg}")
'''


# Program-first proposals, in turn: a good one, one RoboSim rejects, one a meaning rule rejects
# (found in the kitchen, picked in the bathroom), one whose description gets a gate's refusal.
PROPOSALS = [
    (GOOD["apple"], "Go to the kitchen and, if there is an apple, bring it to the living room."),
    ('def task_program():\n    go_to("garage")\n    place("dinner")\n', "Put the dinner down in the garage."),
    ('def task_program():\n    go_to("kitchen")\n    if is_in_room("mug"):\n        go_to("bathroom")\n'
     '        pick("mug")\n', "Find the mug in the kitchen and pick it up."),
    (GOOD["charger"], "The program looks for a charger in the offices."),
]


def fill_plan(keys: list[str]) -> dict:
    """A plan's slots for the fake: names that change from call to call (so plans differ)."""
    n = fill_plan.calls = getattr(fill_plan, "calls", 0) + 1
    pools = {"room": ["kitchen", "living room", "office", "garage", "lab"], "object": ["apple", "pear", "plum"], "sought": ["umbrella", "stapler"],
             "person": ["Sarah", "Omar"], "question": ["Do you want tea or coffee?"], "options": [["tea", "coffee"]],
             "choices": [["apple", "pear"]], "message": [f"Dinner {n} is ready"]}
    used: dict = {}
    values = {}
    for k in keys:
        kind = next(t for t in pools if k == t or k.endswith("_" + t))
        values[k] = pools[kind][(n + used.get(kind, 0)) % len(pools[kind])]
        used[kind] = used.get(kind, 0) + 1
    return values


# the programs the fake writes for plan-first's deliver wordings (other plans get GENERIC: plan-coverage fails)
DELIVER = [(re.compile(r"Take the ([\w ]+?) from the ([\w ]+?) to the ([\w ]+?)\."), (0, 1, 2)),
           (re.compile(r"Go to the ([\w ]+?), pick up the ([\w ]+?) and put it in the ([\w ]+?)\."), (1, 0, 2))]
DELIVERED = 'def task_program():\n    go_to("{1}")\n    pick("{0}")\n    go_to("{2}")\n    place("{0}")\n'


class FakeBackend:
    name = "fake"
    model = "scripted"

    def __init__(self, bad_first_attempts: int = 1, unsolvable: tuple[str, ...] = ("garage",)):
        self.calls = 0
        self.bad_first_attempts = bad_first_attempts
        self.unsolvable = unsolvable
        self.closed = False

    def _answer(self, req) -> str:
        msgs = req.messages
        last = msgs[-1]["content"]
        rng = random.Random(req.seed)
        if "Generate an interesting robot task" in last:
            self.task_counter = getattr(self, "task_counter", -1) + 1  # every task in turn
            return f"Task: {TASKS[self.task_counter % len(TASKS)]}"
        many = re.match(r"Generate (\d+) different interesting robot tasks", last) or \
            re.search(r"Write (\d+) new (?:robot )?tasks", last)
        if many:  # several per request, as a JSON list (structured output)
            out = []
            for _ in range(int(many.group(1))):
                self.task_counter = getattr(self, "task_counter", -1) + 1
                out.append(TASKS[self.task_counter % len(TASKS)])
            return json.dumps({"tasks": out})
        if "Write one new program" in last:
            self.proposal_counter = getattr(self, "proposal_counter", -1) + 1
            k = self.proposal_counter
            program = PROPOSALS[k % len(PROPOSALS)][0]
            if k % len(PROPOSALS) == 0 and k:  # later good ones: new places, so dedup keeps them
                program = program.replace("living room", f"room {k}")
            return "```python\n" + program + "```"
        if '"instruction": the request' in last:
            program = last.split("Program:\n```python\n", 1)[1].split("```", 1)[0]
            text = next((t for p, t in PROPOSALS if p.strip() == program.strip()), None)
            if text is None and "room " in program:
                text = PROPOSALS[0][1].replace("living room", program.split('go_to("room ')[1].split('"')[0].join(
                    ["room ", ""]))
            return json.dumps({"analysis": "It goes places.", "instruction": text or "Go somewhere useful now."})
        if "will give the robot this request" in last:  # plan-first: the names of the shape's slots
            schema = json.loads(req.json_schema) if isinstance(req.json_schema, str) else req.json_schema
            keys = list(schema["properties"])
            return json.dumps(fill_plan(keys))
        if "#Rewritten Task#" in last:
            return TASKS[rng.randrange(len(TASKS))] + " Do it twice."
        structured = getattr(req, "json_schema", None) is not None  # what a server with structured output returns
        if "### Revised Instruction" in last or (structured and "revised_instruction" in last):
            original = last.split("Instruction: ", 1)[1].split("\n", 1)[0]
            revised = f"{original.rstrip('.')} as the program does."
            if structured:
                return json.dumps({"analysis": "It goes places.", "revised_instruction": revised})
            return f"1. go_to moves.\n2. It goes places.\n### Revised Instruction\n{revised}"
        if "Instruction A:" in last:
            return '{"answer": "B"}' if structured else "The second one is more precise.\nAnswer: B"
        # a program request: the instruction is the last user turn (possibly with a repair note)
        attempt_bad = self.calls_by_instruction.setdefault(last, 0) < self.bad_first_attempts
        self.calls_by_instruction[last] += 1
        for pattern, order in DELIVER:
            found = pattern.search(last)
            if found:
                return "```python\n" + DELIVERED.format(*(found.group(1 + k) for k in order)) + "```"
        if "charger" in last:
            return "```python\n" + (BAD_CHARGER if attempt_bad else GOOD["charger"]) + "```"
        if "apple" in last:
            return "Here you go:\n```python\n" + GOOD["apple"] + "```\nThis brings the apple."
        if any(u in last for u in self.unsolvable):
            return "```python\ndef task_program():\n    go_to(\"garage\")\n    place(\"dinner\")\n```"
        return "```python\n" + GENERIC.format(place="lobby", msg=str(abs(hash(last)) % 1000)) + "```"

    calls_by_instruction: dict

    def generate(self, requests, progress=None):
        if not hasattr(self, "calls_by_instruction"):
            self.calls_by_instruction = {}
        out = []
        for i, r in enumerate(requests):
            self.calls += 1
            self.seen = getattr(self, "seen", []) + [r]
            out.append(Response(texts=[self._answer(r)], finish_reasons=["stop"], usage=Usage(10, 20), latency_s=0.01))
            if progress:
                progress(i + 1, len(requests))
        return out

    def close(self):
        self.closed = True


def run_generation(cfg, backend):
    """A whole generate run on the fake (closed after), as the pipeline tests drive it."""
    from roboinstruct.pipeline.run import GenerationRun

    run = GenerationRun(cfg, backend_factory=lambda c: backend)
    try:
        manifest = run.run()
    finally:
        run.close()
    return run, manifest, backend
