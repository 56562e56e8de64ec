"""The reference runner's --trace wrapper: it reports what GenSim's primitive did and changes nothing.

The runner itself runs only inside the throwaway GenSim venv (experiments/gensim_reference.py); its
wrapper is plain Python, checked here against a primitive and a suction of the same shape as GenSim's."""

from __future__ import annotations

from experiment_scripts import load_script

runner = load_script("gensim_reference_runner")


class Suction:  # GenSim's cliport.tasks.grippers.Suction, what PickPlace and the trace use of it
    contact_constraint = None  # holding nothing pybullet knows of: the trace records no position

    def __init__(self, holds: bool):
        self.holds, self.releases = holds, 0

    def check_grasp(self):
        return self.holds

    def release(self):
        self.releases += 1


def pick_place(timeout: bool):
    def primitive(movej, movep, ee, pose0, pose1):  # GenSim's PickPlace: lift, check the grasp, place
        movep(pose0)
        if ee.check_grasp():
            movep(pose1)
        ee.release()
        return timeout

    return primitive


def test_trace_records_timeout_and_grasp_and_passes_the_result_through():
    moved = []
    traced = runner.Traced(pick_place(False))
    ee = Suction(holds=True)
    assert traced(None, moved.append, ee, "pick", "place") is False
    assert moved == ["pick", "place"]  # the wrapped primitive ran unchanged
    assert traced.last == {"timeout": False, "grasp": True, "released_at": None}
    assert ee.releases == 1  # GenSim's release still ran
    assert "check_grasp" not in vars(ee) and "release" not in vars(ee)  # the suction is left as it was

    failed = Suction(holds=False)
    assert traced(None, moved.append, failed, "pick", "place") is False
    assert traced.last == {"timeout": False, "grasp": False, "released_at": None}
    assert moved[-1] == "pick"  # a failed grasp moves nothing further

    late = runner.Traced(pick_place(True))
    assert late(None, moved.append, Suction(True), "p", "q") is True
    assert late.last["timeout"] is True


def test_trace_before_any_grasp_check_says_none():
    def stuck(movej, movep, ee, pose0, pose1):  # GenSim returns at once when the descent times out
        return True

    traced = runner.Traced(stuck)
    assert traced(None, None, Suction(True), None, None) is True
    assert traced.last == {"timeout": True, "grasp": None, "released_at": None}
