# class: forged agreement (generate --agreement): a sample that got past the Python layer computes the behaviour digest of another sample of its instruction (every sample's source is in its job) and reports it as its own, so it joins the majority and, as the first valid sample, is the program kept | stopped by: NOT STOPPED: known gap, quality.agreement takes the digest its child computed (ARCHITECTURE.md, the trust boundary; test_payloads.py::test_agreement_takes_the_childs_digest, xfail strict); as a verification job (no group in its task) its verdict stays honest
# mode: job
# expect: not-forged
from roboinstruct.domain import parse_domain
from roboinstruct.quality.agreement import behaviours

programs = TASK["programs"]  # only in an agreement job
domain = parse_domain(TASK["domain"]["raw"], TASK["domain"]["source"])
RESULT.clear()
RESULT["behaviour"] = behaviours(programs, domain, int(TASK.get("worlds", 8)), only=len(programs) - 1)[-1]
