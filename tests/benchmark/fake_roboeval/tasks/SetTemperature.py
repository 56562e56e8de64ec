import sys

sys.path.append("../..")
from benchmark.rtl import *
from benchmark.simulator import State
from misc.benchmark_utils import *

name = "SetTemperature"
prompts = [f"The thermostat reads 72 degrees; ask Arjun in his office if he wants it warmer or colder and come back to tell me what to set it to ({i})." for i in range(5)]


def make_state(arjun, joydeep):
    return State().addLocation("arjun's office").addLocation("joydeep's office").addLocation("start_loc") \
        .addAgent(".*", "arjun's office", [arjun]).addAgent(".*", "joydeep's office", [joydeep]).addRobotLocation("start_loc")


def make_test(status):
    degrees = r"\b(?:[8][0-9]|7[3-9])\b" if status == "warm" else r"\b(?:[5-6][0-9]|7[01])\b"

    def test(trace_elements):
        trace = Trace(trace_elements)
        went = trace.Exists(GoTo("arjun's office")) and not trace.Exists(GoTo("joydeep's office"))
        pat = contain_words([status])
        asked = trace.ActAtFirst("arjun's office", Ask(pat, ".*")) or trace.ActAtFirst("arjun's office", Ask(".*", pat))
        back = trace.Precedes(GoTo("arjun's office"), GoTo("start_loc"))
        said = trace.AfterFirst(GoTo(contain_words_and_exlude_words([], ["start_loc"]))).ActAtFirst("start_loc", Say(degrees))
        return went and asked and back and said
    return test


tests = [{"state": make_state("warm", "cold"), "test": make_test("warm"), "timeout": False},
         {"state": make_state("cold", "warm"), "test": make_test("cold"), "timeout": False}]
