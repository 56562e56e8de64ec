# class: forged agreement (generate --agreement): a sample that got past the Python layer computes the behaviour digest of another sample of its instruction, one of the majority, and replies with that digest alone, as the previous design's child did | stopped by: the reply is not a record (quality.agreement._check_result): the parent takes no behaviour from a child, only calls to replay; a crash of that job (test_payloads.py::test_agreement_record_is_rebuilt_by_the_parent)
# mode: job
# expect: not-forged
from roboinstruct.domain import parse_domain
from roboinstruct.quality.agreement import behaviours

programs = TASK["programs"]  # only in an agreement job
domain = parse_domain(TASK["domain"]["raw"], TASK["domain"]["source"])
RESULT.clear()
RESULT["behaviour"] = behaviours(programs, domain, int(TASK.get("worlds", 8)), only=len(programs) - 1)[-1]
