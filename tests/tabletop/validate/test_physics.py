"""worker.physics on its own: a declared scene rebuilt in a fresh simulator gives exactly the episode
the task's own process would have run (same snapshots, same state), and a declaration that is not
one a reset could make is refused there; the GenSim dialect is the caller's, not the declaration's."""

import os
from pathlib import Path

import pytest

from roboinstruct.tabletop.env.sim import Sim
from roboinstruct.tabletop.tasks.sources import collect
from roboinstruct.tabletop.validate.taskcode import check_task
from roboinstruct.tabletop.validate.worker.episode import SeedResult, declare_episode, run_episode
from roboinstruct.tabletop.validate.worker.physics import Stop, rebuild, simulate_seed


@pytest.mark.parametrize("task", ["color-sorting", "stack-block-pyramid"])
def test_the_judge_apart_sees_the_same_episode(task):
    (cand,) = collect([task])
    code, name = check_task(cand.source)
    for seed in (3, 11):
        whole = run_episode(code, name, seed)
        declared = declare_episode(code, name, seed)
        sim, result = Sim(), SeedResult(seed)
        try:
            simulate_seed({**declared["declaration"], "seed": seed}, sim, result)
            state = sim.state_hash()
        finally:
            sim.close()
        assert whole.ok and whole.scenes == result.scenes and whole.actions == result.actions
        assert whole.state_hash == state and whole.goal_specs == declared["goal_specs"]


BLOCK = {"name": "stacking/block.urdf", "shape": "box", "size": [0.04] * 3, "pickable": True}


def test_a_forged_declaration_is_refused():
    sim = Sim()
    try:
        for log in ([["exec", "rm -rf /"]], [["add", {"name": "x", "shape": "box"}, [50, 1, 1], [0.5, 0, 0.1],
                                                  [0, 0, 0, 1], False, None]], [["move", 99, [0, 0, 0], [0, 0, 0, 1]]],
                    "not a list", [["add"]] * 300,
                    # GenSim's rope joints and meshes, forged: a joint to a body that is not there, a
                    # "mesh" of one vertex, a mesh on a box
                    [["add", BLOCK, [0.04] * 3, [0.5, 0, 0.02], [0, 0, 0, 1], False, None], ["link", 1, 7, 0.02]],
                    [["add", dict(BLOCK, shape="mesh", mesh=[0.0, 0.0, 0.0]), [0.04] * 3, [0.5, 0, 0.02],
                      [0, 0, 0, 1], False, None]],
                    [["add", dict(BLOCK, mesh=[0.0] * 12), [0.04] * 3, [0.5, 0, 0.02], [0, 0, 0, 1], False, None]]):
            sim.reset()
            with pytest.raises((ValueError, TypeError)):
                rebuild(sim, log)
        with pytest.raises(Stop, match="not one"):
            simulate_seed({"seed": 1, "log": [], "goal_specs": [{"objs": "x"}], "tolerances": [0.01, 0.1],
                           "max_steps": 3}, sim, SeedResult(1))
    finally:
        sim.close()


GENSIM = Path(os.environ.get("GENSIM_CHECKOUT", Path(__file__).resolve().parents[4] / "shared" / "gensim"))


@pytest.mark.skipif(not (GENSIM / "cliport" / "generated_tasks").is_dir(), reason=f"no GenSim checkout at {GENSIM}")
def test_the_judge_apart_in_gensims_dialect_takes_the_dialect_from_the_caller():
    # an unfilled template gets GenSim's dummy size: the task's child declares that object nominal,
    # the physics child keeps it (and judges target heights by level) only when told GenSim's dialect
    (cand,) = [c for c in collect([], str(GENSIM)) if c.file.endswith("generated_tasks/code_cylinder_in_zone.py")]
    code, name = check_task(cand.source)
    whole = run_episode(code, name, 3, dialect="gensim", assets=cand.assets)
    declared = declare_episode(code, name, 3, dialect="gensim", assets=cand.assets)["declaration"]
    assert whole.ok and whole.nominal and declared["nominal"] == whole.nominal
    for gensim, heights in ((True, "level"), (False, "exact")):
        sim, result = Sim(), SeedResult(3)
        forged = [dict(g, heights="level") for g in declared["goal_specs"]]  # the task's child's claim
        try:
            simulate_seed({**declared, "goal_specs": forged, "gensim": gensim, "seed": 3}, sim, result)
        except Stop:
            pass
        finally:
            sim.close()
        assert {g["heights"] for g in result.goal_specs} == {heights}
        assert result.nominal == (whole.nominal if gensim else [])
        if gensim:
            assert result.scenes == whole.scenes and result.actions == whole.actions


def test_gensims_dialect_weighs_bodies_as_the_checkouts_urdf_says_and_bounds_the_values():
    import pybullet as p

    from roboinstruct.tabletop.catalogue.assets import resolve
    from roboinstruct.tabletop.validate.worker.physics import apply_dynamics

    sim = Sim()
    try:
        block = sim.add(resolve("stacking/block.urdf"), (0.5, 0.0, 0.02), (0, 0, 0, 1), False, None)
        zone = sim.add(resolve("zone/zone.urdf"), (0.5, 0.2, 0.0), (0, 0, 0, 1), True, None)
        apply_dynamics(sim, {"stacking/block.urdf": {"mass": 0.01, "lateral_friction": 1.0, "rolling_friction": 1e-4},
                             "zone/zone.urdf": {"mass": 5.0, "lateral_friction": 0.1, "rolling_friction": 0.0}})
        info = p.getDynamicsInfo(block, -1, physicsClientId=sim.client)
        assert info[0] == pytest.approx(0.01) and info[1] == pytest.approx(1.0)
        assert p.getDynamicsInfo(zone, -1, physicsClientId=sim.client)[0] == 0.0  # a fixed body stays fixed
        for bad in ({"stacking/block.urdf": {"mass": float("nan"), "lateral_friction": 1, "rolling_friction": 0}},
                    {"stacking/block.urdf": {"mass": 1e6, "lateral_friction": 1, "rolling_friction": 0}}, []):
            with pytest.raises(ValueError):
                apply_dynamics(sim, bad)
    finally:
        sim.close()


@pytest.mark.skipif(not (GENSIM / "cliport" / "generated_tasks").is_dir(), reason=f"no GenSim checkout at {GENSIM}")
def test_a_checkouts_candidates_carry_its_dynamics_and_the_caller_not_the_task_sends_them(monkeypatch):
    from roboinstruct.tabletop.validate import run

    (cand,) = [c for c in collect([], str(GENSIM)) if c.file.endswith("generated_tasks/symmetric_block_stand_assembly.py")]
    assert cand.dynamics["stacking/block.urdf"]["mass"] == pytest.approx(0.01)
    sent = []
    real = run._simulate

    def spy(pool, wave, declared, first, per, robot="tip"):
        sent.extend(d for seeds in declared.values() for d in seeds.values())
        return real(pool, wave, declared, first, per, robot)

    monkeypatch.setattr(run, "_simulate", spy)
    run.validate_many([cand], seeds=1, workers=1, every_oracle=False)
    assert sent and all(d["dynamics"] is cand.dynamics and d["gensim"] for d in sent)
