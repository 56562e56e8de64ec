# class: forged verdict: tamper with RoboSim's simulator in the candidate's own process (every precondition holds) so its exploration of an invalid program passes | stopped by: the judge apart (robosim.replay: the parent makes the recorded calls again on a fresh simulator in trusted code; place() of what is not held is the API's robot error there)
# mode: job
# expect: not-forged
from roboinstruct.domain import load_domain
from roboinstruct.robosim import api
from roboinstruct.robosim.verifier import record_in_process, verify_in_process

api.Sim._require = lambda self, fn, req, env, raw: None  # the world is whatever lets the program run
dom = load_domain()
paths = TASK.get("paths", 20)
OLD_VERDICT = verify_in_process(TASK["program"], dom, paths=paths, extracted=True).to_dict()
RESULT.clear()
RESULT.update(record_in_process(TASK["program"], dom, paths=paths, extracted=True))
