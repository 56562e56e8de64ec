"""The caller's schema check of what comes back from the two validation jobs.

A reply is data from a sandbox child: the task's child (validate_job) may have been taken over by
the task, and even the physics child (simulate_job) worked on what the task declared. Before any
of it is judged, it must be exactly the shape the caller asked for: the seeds of that job, each
once, with fields of the right types. Anything else is a crash of that one job (its seeds fail
with a reason), never an exception in the caller that loses the batch's other verdicts.
"""

from __future__ import annotations

from ..errors import STAGES

_OPTIONAL_STAGE = (type(None), str)
COMMON = {"seed": int, "ok": bool, "stage": _OPTIONAL_STAGE, "reason": str, "step": (type(None), int),
          "actions": int, "sim_steps": int, "state_hash": str, "goals": int, "goals_met": int, "assets": list,
          "goal_specs": list, "tolerances": list, "sizes": dict, "nominal": list, "scenes": list, "notes": list,
          "strict_stage": _OPTIONAL_STAGE, "strict_reason": str, "declared": str, "oracle_run": bool}
DECLARATION = {"log": list, "goal_specs": list, "tolerances": list, "max_steps": int, "gensim": bool,
               "nominal": list, "primitive": str, "lift": (type(None), float)}
MAX_NOTES = 20  # taskapi.world's own bound
MAX_TEXT = 2000


def _fields(record, spec: dict, what: str, extra: tuple = ()) -> str | None:
    if not isinstance(record, dict) or not set(spec) <= set(record) or not set(record) <= set(spec) | set(extra):
        return f"{what} has the wrong fields"
    for key, kind in spec.items():
        value = record[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            return f"{what}: {key} is a {type(value).__name__}"
    return None


def _seed_record(record, what: str, extra: tuple = ()) -> str | None:
    problem = _fields(record, COMMON, what, extra)
    if problem:
        return problem
    for key in ("stage", "strict_stage"):
        if record[key] is not None and record[key] not in STAGES:
            return f"{what}: {key} {record[key]!r} is not a stage"
    if len(record["reason"]) > MAX_TEXT or len(record["strict_reason"]) > MAX_TEXT:
        return f"{what}: a reason longer than {MAX_TEXT} characters"
    if not all(isinstance(x, str) for x in record["assets"] + record["notes"]):
        return f"{what}: assets and notes are names"
    # our world writes at most MAX_NOTES short notes; a longer list or text came from the task's code
    if len(record["notes"]) > MAX_NOTES or any(len(x) > MAX_TEXT for x in record["assets"] + record["notes"]):
        return f"{what}: more than {MAX_NOTES} notes, or a note or asset name longer than {MAX_TEXT} characters"
    if not all(isinstance(x, int) and not isinstance(x, bool) for x in record["nominal"]):
        return f"{what}: nominal is not a list of body ids"
    return None


def _seeds(results, seeds: list) -> str | None:
    if not isinstance(results, list) or [r.get("seed") if isinstance(r, dict) else None for r in results] != list(seeds):
        return "the reply is not one result per seed asked for, in order"
    return None


def check_declared(reply, seeds: list) -> str | None:
    """validate_job's reply: {"results": [per seed, with "declaration" where it got that far], "replay"}."""
    if not isinstance(reply, dict) or set(reply) != {"results", "replay"} \
            or not isinstance(reply["replay"], (str, type(None))):
        return "not a validation reply"
    problem = _seeds(reply["results"], seeds)
    for r in reply["results"] if not problem else ():
        problem = _seed_record(r, f"seed {r['seed']}", ("declaration",))
        if not problem and not r["oracle_run"]:
            problem = f"seed {r['seed']}: the task's half has no oracle to skip"
        if problem:
            return problem
        if r["stage"] is None:
            if "declaration" not in r:
                return f"seed {r['seed']}: neither a declaration nor a stage"
            problem = _fields(r["declaration"], DECLARATION, f"seed {r['seed']}'s declaration") \
                or _scene_log(r["declaration"]["log"], f"seed {r['seed']}'s declaration")
            if problem:
                return problem
    return problem


def _scene_log(log: list, what: str) -> str | None:
    """The caller reads a declared scene log before any physics child checks it (ranking the physics
    jobs by their bodies): each change a list naming its operation. (A longer log than the physics
    child rebuilds, physics.MAX_LOG, a task can make honestly: that child refuses it, with its reason.)"""
    if not all(isinstance(e, list) and e and isinstance(e[0], str) for e in log):
        return f"{what}: the scene log is not a list of changes naming their operation"
    return None


def check_simulated(reply, seeds: list, before_oracle=()) -> str | None:
    """simulate_job's reply: {"results": [per seed, with the scene data]}; only the seeds in
    `before_oracle` (asked to stop before their oracle) may say their oracle did not run."""
    if not isinstance(reply, dict) or set(reply) != {"results"}:
        return "not a simulation reply"
    problem = _seeds(reply["results"], seeds)
    for r in reply["results"] if not problem else ():
        problem = _seed_record(r, f"seed {r['seed']}")
        if not problem and not r["oracle_run"] and (r["seed"] not in before_oracle or r["ok"]):
            problem = f"seed {r['seed']}: an oracle not run where it was asked for, or a success without it"
        if problem:
            return problem
    return problem
