"""A sandbox job that runs a payload file as plain Python, with every builtin: what a program that
got past the Python layer (policy, shims, API guard) could do. Used by test_payloads.py to test the
layers behind it (one process per candidate, the reply protocol, OS isolation) on their own.

The payload sees TASK (the job's dict) and RESULT (an honest invalid verdict it may write into: its
message and stats carry an escape's evidence). The job returns what a verification child returns, a
record (robosim.record) whose rejection carries RESULT's message, plus RESULT's stats when there are
any (the test reads them; the parent's check refuses such a record: a crash); a payload that replaced
RESULT's fields has its own reply returned as it is.
"""

from roboinstruct.robosim.verdict import Verdict

HONEST = "honest payload verdict"


def run(task: dict) -> dict:
    result = Verdict(False, "PythonError", HONEST, None, 1, False).to_dict()
    scope = {"__name__": "payload", "TASK": task, "RESULT": result}
    try:
        exec(compile(task["source"], task["name"], "exec"), scope)
    except Exception:  # noqa: BLE001 - a payload that fails part-way still returns its verdict
        pass
    if set(result) != set(Verdict.__dataclass_fields__):
        return result  # the payload's own reply
    record = {"reference": {"rejected": [result["error_kind"], result["message"], None], "paths": []}, "strict": None}
    if result.get("stats"):
        record["stats"] = result["stats"]
    return record


def old_design(task: dict) -> dict:
    """What the previous design's child would have replied for the same payload: the verdict its own
    (tampered) process computed, which the parent took as it was (`OLD_VERDICT`, set by the payloads
    that tamper with the judge's state)."""
    scope = {"__name__": "payload", "TASK": task, "RESULT": {}}
    exec(compile(task["source"], task["name"], "exec"), scope)
    return {"verdict": scope["OLD_VERDICT"]}


def run_warmed(task: dict) -> dict:
    """`run`, for a zygote whose spares warm up first (as the verifier's and the evaluator's do)."""
    return run(task)


def _warm(task: dict) -> None:
    """The verifier's kind of warm-up: a fixed program of ours, its record encoded (trusted)."""
    import json

    from roboinstruct.domain import load_domain
    from roboinstruct.robosim.verifier import WARM_PROGRAMS, record_in_process

    json.dumps(record_in_process(WARM_PROGRAMS[0], load_domain(), paths=1, dfs_paths=1))


run_warmed.warm = _warm


def run_or_verify(task: dict) -> dict:
    """A payload (a task with "source") or a verification (robosim.verifier's job, its `prepare` and
    `warm` too): one job function, so a zygote hands the verification after a payload to the spare
    that was forked, confined and warmed up beside it (a new job function would make it stale)."""
    from roboinstruct.robosim.verifier import verify_job

    return run(task) if "source" in task else verify_job(task)


def _verifier(name: str):
    from roboinstruct.robosim import verifier

    return getattr(verifier.verify_job, name)


run_or_verify.prepare = lambda task: _verifier("prepare")(task)
run_or_verify.warm = lambda task: _verifier("warm")(task)
