"""experiments/gensim_verdict_check.py: a changed verdict is a difference; counts that only say
fewer oracles ran are not, as long as they are consistent with the committed ones."""

from __future__ import annotations

from experiment_scripts import load_script


def _script():
    return load_script('gensim_verdict_check')


def _row(status="pass", stage=None, reason="", passed=8, not_run=None, gensim_passed=8, gensim_not_run=None):
    cls = "pass" if stage is None else f"{stage}: x"
    strict = {"status": status, "stage": stage, "reason_class": cls, "reason": reason, "passed": passed, "seeds": 8}
    gensim = {"status": "pass", "stage": None, "reason_class": "pass", "reason": "", "passed": gensim_passed}
    if not_run is not None:
        strict["not_run"], gensim["not_run"] = not_run, gensim_not_run or 0
    return {"file": "a.py", "strict": strict, "gensim": gensim}


def test_the_same_verdict_with_fewer_oracles_is_no_difference():
    check = _script()
    assert check.differences(_row(), _row(passed=4, not_run=4, gensim_passed=4, gensim_not_run=4)) == []
    assert check.differences(_row(), _row(not_run=0)) == []


def test_a_changed_verdict_or_an_impossible_count_is_a_difference():
    check = _script()
    assert check.differences(_row(), _row(status="fail", stage="oracle"))  # status, stage, class
    assert check.differences(_row(passed=7), _row(passed=8, not_run=0))  # every oracle ran: counts must match
    assert check.differences(_row(passed=8), _row(passed=3, not_run=4))  # 3 + 4 cannot have been 8
    assert check.differences(_row(reason="a"), _row(reason="b", not_run=0))
    result = check.compare([_row(), {**_row(), "file": "b.py"}], [_row(not_run=0)])
    assert result["differences"] == {"b.py": ["not validated now"]} and result["same"] == 1
