"""validate.replies on its own: the two jobs' replies, well-formed or not (a malformed one is that
job's crash in the caller, never an exception that loses the batch)."""

from roboinstruct.tabletop.validate.replies import check_declared, check_simulated
from roboinstruct.tabletop.validate.verdict import crashed


def seed_record(seed, **kw):
    r = {**crashed(seed, "x"), "stage": None, "reason": "", "tolerances": [0.01, 0.2], "goal_specs": [],
         "sizes": {}, "nominal": [], "scenes": [], "notes": [], "strict_stage": None, "strict_reason": "", "declared": "h",
         "oracle_run": True}
    return {**r, **kw}


def test_a_declaration_reply():
    decl = {"log": [], "goal_specs": [], "tolerances": [0.01, 0.2], "max_steps": 3, "gensim": False, "nominal": [],
            "primitive": "pick", "lift": None}
    good = {"results": [seed_record(1, declaration=decl), seed_record(2, stage="reset", reason="boom")],
            "replay": "h"}
    assert check_declared(good, [1, 2]) is None
    assert check_declared(good, [2, 1]) and check_declared(good, [1]) and check_declared({"results": 7}, [1])
    assert check_declared({**good, "extra": 1}, [1, 2])
    no_decl = {"results": [seed_record(1), seed_record(2, stage="reset")], "replay": None}
    assert "neither" in check_declared(no_decl, [1, 2])
    bad_stage = {"results": [seed_record(1, stage="pass", declaration=decl)], "replay": None}
    assert "not a stage" in check_declared(bad_stage, [1])
    bad_type = {"results": [seed_record(1, ok="yes", declaration=decl)], "replay": None}
    assert "ok is a str" in check_declared(bad_type, [1])
    forged = {"results": [{"seed": 1, "ok": True}], "replay": None}  # what task_malformed_reply.py sends
    assert check_declared(forged, [1])
    assert "no oracle to skip" in check_declared({"results": [seed_record(1, oracle_run=False, declaration=decl)],
                                                 "replay": None}, [1])
    # the caller reads a declared log (ranking the physics jobs) before any child checks it: each change a
    # list naming its operation (task_reply_caller_reads_log.py sent [7]: a TypeError in the caller)
    for log in ([7], [[]], [{"0": "add"}], [[3, 1]], [["move", 1], None]):
        bad_log = {"results": [seed_record(1, declaration={**decl, "log": log})], "replay": None}
        assert "scene log" in check_declared(bad_log, [1]), log
    # notes and asset names end up in every verdict and report: bounded as our own world bounds them
    for notes, assets in ((["n"] * 21, []), (["x" * 2001], []), ([], ["a" * 2001])):
        big = {"results": [seed_record(1, notes=notes, assets=assets, declaration=decl)], "replay": None}
        assert "notes" in check_declared(big, [1]), (len(notes), len(assets))
    fine = {"results": [seed_record(1, notes=["n"] * 20, assets=["block/small.urdf"] * 60, declaration=decl)],
            "replay": None}
    assert check_declared(fine, [1]) is None
    long = {"results": [seed_record(1, declaration={**decl, "log": [["move", 1]] * 600})], "replay": None}
    assert check_declared(long, [1]) is None  # the physics child refuses it with its own reason


def test_a_simulation_reply():
    assert check_simulated({"results": [seed_record(5, ok=True)]}, [5]) is None
    assert check_simulated({"results": [seed_record(5, declaration={})]}, [5])
    assert check_simulated({"results": [seed_record(5, steps=True)]}, [5])
    assert check_simulated({"results": [seed_record(5, reason="x" * 5000)]}, [5])
    assert check_simulated({"results": [seed_record(5, nominal=[3, 4])]}, [5]) is None
    assert "nominal" in check_simulated({"results": [seed_record(5, nominal=["3"])]}, [5])


def test_a_seed_stops_before_its_oracle_only_when_asked():
    skipped = seed_record(5, oracle_run=False)
    assert check_simulated({"results": [skipped]}, [5], before_oracle={5}) is None
    assert "oracle not run" in check_simulated({"results": [skipped]}, [5])  # its oracle was asked for
    assert "oracle not run" in check_simulated({"results": [{**skipped, "ok": True}]}, [5], before_oracle={5})
    assert check_simulated({"results": [seed_record(5, ok=True)]}, [5], before_oracle={5}) is None  # ran it anyway
