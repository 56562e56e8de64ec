# class: forged verdict: tamper with RoboSim's chooser and world in the candidate's own process (every query answered True, fewer paths) so a program that fails when an object is absent passes | stopped by: the judge apart (robosim.replay: the path schedule and every answer are the parent's; a recorded answer the fresh simulator does not give refuses the record, a crash of this job)
# mode: job
# expect: not-forged
from roboinstruct.domain import load_domain
from roboinstruct.robosim import api, choices
from roboinstruct.robosim.verifier import record_in_process, verify_in_process

choices.Chooser.choose = lambda self, n, label: n - 1  # every query: True, every path the same
dom = load_domain()
paths = TASK.get("paths", 20)
OLD_VERDICT = verify_in_process(TASK["program"], dom, paths=paths, extracted=True).to_dict()
RESULT.clear()
RESULT.update(record_in_process(TASK["program"], dom, paths=paths, extracted=True))
