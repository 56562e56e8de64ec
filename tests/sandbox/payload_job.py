"""A sandbox job that runs a payload file as plain Python, with every builtin: what a program that
got past the Python layer (policy, shims, API guard) could do. Used by test_payloads.py to test the
layers behind it (one process per candidate, the reply protocol, OS isolation) on their own.

The payload sees TASK (the job's dict) and RESULT (the verdict this job returns unless the payload
changes it: an honest invalid verdict, so a forged "valid" is visible).
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
    return result
