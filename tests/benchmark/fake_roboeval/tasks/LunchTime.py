import sys

sys.path.append("../..")
from benchmark.rtl import *
from benchmark.simulator import State
from misc.benchmark_utils import *

name = "LunchTime"
prompts = [f"Ask Jill in her office if she wants lunch tomorrow; if yes, offer some reasonable times; come back and tell me her answer ({i})." for i in range(5)]


def make_state(first):
    return State().addLocation("jill's office").addLocation("andrew's office").addLocation("start_loc") \
        .addAgent(".*", "jill's office", [first, r".*"]).addRobotLocation("start_loc")


LUNCH = contain_words(["lunch"])


def common(trace):
    report_after_visit = trace.BeforeFirst(Say(".*")).Exists(GoTo("jill's office"))
    back = trace.AfterFirst(GoTo(contain_words_and_exlude_words([], ["start_loc"]))).ActAtFirst("start_loc", Say(".*"))
    return trace.Exists(GoTo("jill's office")) and not trace.Exists(GoTo("andrew's office")) \
        and trace.ActAtFirst("jill's office", Ask(LUNCH, ".*")) and report_after_visit and back


def test0(trace_elements):
    trace = Trace(trace_elements)
    noon = contain_words(["11|.*eleven|.*12|.*twelve"])
    bad = contain_words(["|.*".join([f"{h}:" for h in range(17, 25)] + [f"{h}:" for h in range(4, 9)])])
    at_jill = lambda q, o: trace.ActAtFirst("jill's office", Ask(q, o))
    asks_time = at_jill(noon, ".*") or at_jill(".*", noon)
    odd_time = at_jill(bad, ".*") or at_jill(".*", bad)
    early = trace.BeforeFirst(Ask(LUNCH, ".*"))
    order = not (early.Exists(Ask(noon, ".*")) or early.Exists(Ask(".*", noon)))
    return common(trace) and asks_time and not odd_time and order


def test1(trace_elements):
    trace = Trace(trace_elements)
    only_lunch = not trace.Precedes(Ask(LUNCH, ".*"), Ask(".*", ".*")) \
        and not trace.BeforeFirst(Ask(LUNCH, ".*")).Exists(Ask(".*", ".*"))
    return common(trace) and only_lunch


tests = [{"state": make_state("yes"), "test": test0, "timeout": False},
         {"state": make_state("no"), "test": test1, "timeout": False}]
