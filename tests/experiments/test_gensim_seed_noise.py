"""experiments/gensim_seed_noise.py: reading a disagreement with GenSim's environment against the
seeds behind each verdict (Fisher's exact test, the rules' agreement at a shared rate)."""

from __future__ import annotations

import math

import pytest

from experiment_scripts import load_script

N = load_script("gensim_seed_noise")


def test_fisher_exact_matches_the_tables_by_hand():
    # 8/8 here, 1/4 there: of the tables with 9 successes, only the observed one is as unlikely (4/220)
    assert N.fisher_two_sided(8, 8, 1, 4) == pytest.approx(4 / 220)
    assert N.fisher_two_sided(1, 4, 8, 8) == pytest.approx(4 / 220)  # symmetric in the two sides
    assert N.fisher_two_sided(4, 8, 2, 4) == pytest.approx(1.0)      # the same rate: nothing told apart
    assert N.fisher_two_sided(0, 8, 0, 3) == 1.0


def test_the_two_rules_disagree_often_on_a_task_solved_half_the_time():
    assert N.accept_probability(0.5, 4, 2) == pytest.approx(11 / 16)
    assert N.accept_probability(0.5, 8, 4) == pytest.approx(163 / 256)
    agree = N.agree_probability(0.5, 8, 4)
    assert agree == pytest.approx(11 / 16 * 163 / 256 + 5 / 16 * 93 / 256)
    assert agree < 0.6 < N.agree_probability(0.95, 8, 4)  # a task solved on nearly every seed: rules agree


def test_a_section_counts_disagreements_and_those_within_noise():
    def f(name, env, rewards, status, passed):
        return {"file": f"cliport/generated_tasks/{name}", "env": env, "env_rewards": {"C": rewards},
                "arm_row": {"gensim": {"status": status, "passed": passed}}}

    files = [f("a.py", "rejected", [0.5, 1.0, 0.2, 0.3], "pass", 8),   # 8/8 against 1/4: told apart
             f("b.py", "rejected", [0.5, 1.0, 0.2, 0.3], "pass", 4),   # 4/8 against 1/4: noise
             f("c.py", "accepted", [1.0, 1.0], "pass", 8),              # agrees
             {"file": "x.py", "env": "rejected", "env_rewards": {"A": [1.0], "B": [0.0]}, "arm_row": {}}]
    lines, summary = N.section(files, "arm", 8, 0.5)
    assert summary["disagreements"] == 2 and summary["within_seed_noise"] == 1 and summary["files"] == 3
    assert summary["env_rejected"]["agree"] == 0 and summary["env_accepted"]["agree"] == 1
    assert any(line.startswith("| b.py | rejected | accepted | 4/8 / 1/4 |") for line in lines)
    assert not any(line.startswith("| c.py") for line in lines)
    assert math.isclose(summary["expected_agreements_if_same_rates"],
                        round(sum(N.agree_probability(r, 8, 4) for r in (9 / 12, 5 / 12, 10 / 10)), 1))
