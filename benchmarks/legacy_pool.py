"""The design before issue 21, kept only to measure against: one long-lived worker process that
runs job after job in the same interpreter (JSON lines in, JSON lines out), no fork per candidate,
no nonce, no OS isolation, and the verdict computed where the program ran (`verify_before`,
`evaluate_before`: the job code as it was, the domain and the suite loaded once per worker). Never
use it for untrusted code: that is why it was replaced.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

LOOP = r'''
import importlib, json, sys
sys.setrecursionlimit(2000)
handlers = {}


suites, domains = {}, {}


def evaluate_before(task):  # benchmark.evaluate.evaluate_job as it was: run and judged here (suite cached)
    from roboinstruct.benchmark.evaluate import evaluate_program
    from roboinstruct.benchmark.suite import load_tasks
    if task["tasks"] not in suites:
        suites[task["tasks"]] = load_tasks(task["tasks"])
    return evaluate_program(task["program"], suites[task["tasks"]][task["task"]], int(task["step_limit"]))


def verify_before(task):  # robosim.verifier.verify_job as it was: explored and judged here (domain cached)
    from roboinstruct.domain import parse_domain
    from roboinstruct.robosim.verifier import verify_in_process
    key = task["domain"]["source"]
    if key not in domains:
        domains[key] = parse_domain(task["domain"]["raw"], task["domain"]["source"])
    return verify_in_process(**{**task, "domain": domains[key]}).to_dict()


def validate_before(task):  # tabletop validate_job as it was: every seed and the replay in this one process
    from roboinstruct.tabletop.env.sim import Sim
    from roboinstruct.tabletop.validate.taskcode import check_task
    from roboinstruct.tabletop.validate.worker.episode import run_episode
    code, name = check_task(task["source"])
    sim = Sim()
    results = [run_episode(code, name, s, sim).to_dict() for s in task["seeds"]]
    sim.close()
    replay = run_episode(code, name, task["seeds"][0]).state_hash if task.get("replay") else None
    return {"results": results, "replay": replay}


handlers["legacy:evaluate_before"] = evaluate_before
handlers["legacy:verify_before"] = verify_before
handlers["legacy:noop"] = lambda task: {}
handlers["legacy:validate_before"] = validate_before
for line in sys.stdin:
    task = json.loads(line)
    job = task.pop("job")
    if job not in handlers:
        module, _, func = job.partition(":")
        handlers[job] = getattr(importlib.import_module(module), func)
    sys.stdout.write(json.dumps(handlers[job](task), default=str) + "\n")
    sys.stdout.flush()
'''


class LegacyWorker:
    def __init__(self):
        root = str(Path(__file__).resolve().parents[1] / "src")
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")])}
        self.proc = subprocess.Popen([sys.executable, "-c", LOOP], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     env=env, text=True)

    def run(self, tasks: list[dict]) -> list[dict]:
        out = []
        for t in tasks:
            self.proc.stdin.write(json.dumps(t) + "\n")
            self.proc.stdin.flush()
            out.append(json.loads(self.proc.stdout.readline()))
        return out

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(10)
