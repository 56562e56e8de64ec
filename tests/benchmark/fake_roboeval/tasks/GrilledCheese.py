import sys

sys.path.append("../..")
from benchmark.rtl import *
from benchmark.simulator import State
from misc.benchmark_utils import *

name = "GrilledCheese"
prompts = [f"List the ingredients of grilled cheese, ask Zarko in his office which he has, come back and tell me what he lacks ({i})." for i in range(5)]

state0 = State().addLocation("lobby").addLocation("zarko's office").addLocation("start_loc") \
    .addAgent(".*", "zarko's office", [r".*"]).addRobotLocation("start_loc")


def asked_about(trace, word):
    pat = contain_words([word])
    return trace.ActAtFirst("zarko's office", Ask(".*", pat)) or trace.ActAtFirst("zarko's office", Ask(pat, ".*"))


def test0(trace_elements):
    trace = Trace(trace_elements)
    went = not trace.Exists(GoTo("lobby")) and trace.Exists(GoTo("zarko's office"))
    report = trace.AfterFirst(GoTo("zarko's office")).ActAtFirst("start_loc", Say(".*"))
    return went and asked_about(trace, "cheese") and asked_about(trace, "bread") and report


tests = [{"state": state0, "test": test0, "timeout": False}]
