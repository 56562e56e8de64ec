"""The unbiased pass@k estimator and the run summary."""

from __future__ import annotations

import pytest

from roboinstruct.benchmark import pass_at_k, summarize


def test_pass_at_k_values():
    assert pass_at_k(10, 0, 1) == 0.0
    assert pass_at_k(10, 10, 1) == 1.0
    assert pass_at_k(20, 5, 1) == pytest.approx(0.25)
    assert pass_at_k(5, 1, 2) == pytest.approx(1 - (4 * 3) / (5 * 4))
    assert pass_at_k(5, 4, 2) == 1.0  # n - c < k
    with pytest.raises(ValueError):
        pass_at_k(3, 4, 1)


def test_summary_means_over_task_prompt_groups():
    rows = [{"task": "A", "prompt_index": 0, "verdict": "Success"},
            {"task": "A", "prompt_index": 0, "verdict": "PythonError"},
            {"task": "A", "prompt_index": 1, "verdict": "Success"},
            {"task": "B", "prompt_index": 0, "verdict": "CompletionError"}]
    s = summarize(rows)
    assert s["per_prompt"] == {"A/0": 0.5, "A/1": 1.0, "B/0": 0.0}
    assert s["per_task"] == {"A": 0.75, "B": 0.0}
    assert s["overall"] == pytest.approx(0.5)
    assert s["breakdown"] == {"Success": 2, "CompletionError": 1, "RobotExecutionError": 0, "PythonError": 1}
