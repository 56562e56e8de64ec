"""The sandbox as a layer of its own: a domain that is not RoboSim brings its own policy, host
and API, and gets the same checking, metering and error classification."""

from roboinstruct.sandbox import Host, Policy, ProgramCache, ProgramRejected, RobotError, base_env, run_once


class Beeper(Host):
    """A two-function toy robot: beep(n) and stop()."""

    def __init__(self, step_limit=100):
        super().__init__(step_limit)
        self.beeps = 0
        self.api = {"beep": self._beep}

    def _beep(self, n):
        self.budget.step()
        if n > 3:
            raise RobotError(f"beep({n}): too loud", kind="TooLoud")
        self.beeps += n


POLICY = Policy("beeper", frozenset({"beep"}), entry="main")


def _run(src):
    checked = ProgramCache().get(src, POLICY)
    if isinstance(checked, ProgramRejected):
        return checked.kind, checked.message
    host = Beeper()
    return run_once(checked, host, base_env(host)), host.beeps


def test_a_program_of_another_domain_runs_under_its_policy():
    assert _run("def main():\n    for i in range(3):\n        beep(1)\n") == (None, 3)


def test_names_outside_the_policy_are_rejected_statically():
    kind, message = _run("def main():\n    go_to('kitchen')\n")
    assert kind == "PythonError" and "go_to" in message
    kind, message = _run("def main():\n    open('/etc/passwd')\n")
    assert kind == "SandboxError" and "open" in message


def test_host_errors_keep_their_kind_and_the_budget_stops_loops():
    (kind, message, line), _ = _run("def main():\n    beep(9)\n")
    assert (kind, line) == ("TooLoud", 2) and "too loud" in message
    (kind, _, _), _ = _run("def main():\n    while True:\n        pass\n")
    assert kind == "StepBudgetExceeded"


def test_policies_are_compile_cache_identities():
    cache = ProgramCache()
    src = "def main():\n    beep(1)\n"
    other = Policy("beeper", frozenset({"beep"}), entry="main", static_names=False)
    assert cache.get(src, POLICY) is cache.get(src, POLICY)
    assert cache.get(src, other) is not cache.get(src, POLICY)
