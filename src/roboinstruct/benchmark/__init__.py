"""The benchmark: concrete worlds, trace checks, task suites (ours and RoboEval's), pass@k.

    from roboinstruct.benchmark import evaluate_programs, load_tasks, pass_at_k
    rows = evaluate_programs([{"task": "FetchApple", "prompt_index": 0, "program": src}], tasks="builtin")
"""

from .evaluate import evaluate_program, evaluate_programs, verdict
from .passk import pass_at_k, summarize
from .suite import load_tasks

__all__ = ["evaluate_program", "evaluate_programs", "load_tasks", "pass_at_k", "summarize", "verdict"]
