"""Sandbox jobs that only the speed benchmark runs: a no-op in a zygote prepared as RoboSim's is
(`noop`), whose cost per job is the fixed cost of a fresh child (fork, confinement, hand-offs, exit)."""

from roboinstruct.robosim.verifier import verify_job


def noop(task: dict) -> dict:
    return {}


noop.prepare = verify_job.prepare  # the same zygote as a verification's: its size sets the fork's cost
