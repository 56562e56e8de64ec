# class: forged evaluation: tamper with the evaluator in the candidate's own process (every state's check passes, pick() takes what is not there) so a wrong program scores Success | stopped by: the judge apart (benchmark.replay: the parent replays the calls on a fresh ConcreteSim, runs the task's checks and RoboEval's rule itself)
# mode: job
# expect: not-forged
from roboinstruct.benchmark import evaluate, simulator
from roboinstruct.benchmark.suite import load_tasks


def pick(self, obj):  # takes whatever it is asked for, wherever
    self.holding = obj
    self._record("Pick", obj)


simulator.ConcreteSim._pick = pick
task = load_tasks("builtin")[TASK["task"]]
for state in task.states:
    state.check = lambda trace: True  # every check passes
OLD_VERDICT = evaluate.evaluate_program(TASK["eval_program"], task)
RESULT.clear()
RESULT.update(evaluate.record_program(TASK["eval_program"], task))
