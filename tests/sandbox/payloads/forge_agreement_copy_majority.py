# class: forged agreement (generate --agreement): a sample that got past the Python layer runs another sample of its instruction (every sample's source is in its job), one of the majority, and reports that sample's record of calls as its own, so it would join the majority and, as the first valid sample, be the program kept | stopped by: the parent rebuilds every behaviour from the record (quality.agreement.rebuilt: the calls replayed with the world's answers through the API) and refuses a call the program's own text cannot make (robosim.callsites: here the copied go_to("kitchen") at the line where this program says go_to("office")), a crash of that job (test_payloads.py::test_agreement_record_is_rebuilt_by_the_parent); a forged digest in the previous reply format is refused by the schema; as a verification job (no group in its task) its verdict stays honest
# mode: job
# expect: not-forged
from roboinstruct.domain import parse_domain
from roboinstruct.quality.agreement import record_worlds

programs = TASK["programs"]  # only in an agreement job
domain = parse_domain(TASK["domain"]["raw"], TASK["domain"]["source"])
RESULT.clear()
RESULT.update(record_worlds(programs, len(programs) - 1, domain, int(TASK.get("worlds", 8))))
