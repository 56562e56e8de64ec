"""experiments/script_io.py: a phase run in a process of its own hands back its value or its error."""

from __future__ import annotations

import os

import pytest

from experiment_scripts import load_script

S = load_script("script_io")


def test_a_phase_in_a_child_runs_elsewhere_and_returns_its_value():
    assert S.in_child(os.getpid) != os.getpid()
    assert S.in_child(sorted, [3, 1, 2]) == [1, 2, 3]


def test_a_phase_in_a_child_that_fails_fails_here_with_its_error():
    with pytest.raises(ValueError, match="invalid literal"):
        S.in_child(int, "not a number")


def test_a_script_function_runs_in_a_child_as_the_ablation_trains(monkeypatch):
    """What ablation.finetune does: a function of a script, found by name in the child (the script's
    folder is on sys.path, as the scripts put it there)."""
    from experiment_scripts import EXPERIMENTS

    monkeypatch.syspath_prepend(str(EXPERIMENTS))
    import ablation as A  # by its name, as gensim_library.py imports it
    config = str(EXPERIMENTS / "ablation-toy.yaml")
    assert S.in_child(A.load, config) == A.load(config)
