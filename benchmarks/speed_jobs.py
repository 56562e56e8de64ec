"""Sandbox jobs that only the speed benchmark runs: a no-op in a zygote prepared as RoboSim's is
(`noop`), whose cost per job is the fixed cost of a fresh child (fork, confinement, hand-offs, exit);
and the fork-per-candidate jobs as they were before the judge apart (`verify_in_child`,
`evaluate_in_child`: the verdict computed in the child), which isolate what the judge apart costs."""

from roboinstruct.benchmark.evaluate import evaluate_job
from roboinstruct.robosim.verifier import verify_job


def noop(task: dict) -> dict:
    return {}


noop.prepare = verify_job.prepare  # the same zygote as a verification's: its size sets the fork's cost


def verify_in_child(task: dict) -> dict:
    """The fork-per-candidate design before the judge apart: the verdict computed in the child."""
    from roboinstruct.robosim.verifier import _worker_domain, verify_in_process

    return verify_in_process(**{**task, "domain": _worker_domain(task)}).to_dict()


verify_in_child.prepare = verify_job.prepare


def evaluate_in_child(task: dict) -> dict:
    """The evaluator's child before the judge apart: run and judged in the child."""
    from roboinstruct.benchmark.evaluate import _suite, evaluate_program

    return evaluate_program(task["program"], _suite(task)[task["task"]], int(task["step_limit"]))


evaluate_in_child.prepare = evaluate_job.prepare
