import sys

sys.path.append("../..")
from benchmark.rtl import *
from benchmark.simulator import State
from misc.benchmark_utils import *

name = "WaitAtDoor"
prompts = [f"Wait at the door until someone comes, then say hello ({i})." for i in range(5)]

state0 = State().addLocation("door").addLocation("start_loc").addRobotLocation("start_loc")


def test0(trace_elements):
    trace = Trace(trace_elements)
    return trace.Exists(GoTo("door")) and not trace.Exists(Say("hello"))


tests = [{"state": state0, "test": test0, "timeout": True}]
