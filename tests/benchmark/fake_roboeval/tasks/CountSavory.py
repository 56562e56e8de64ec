import sys

sys.path.append("../..")
from benchmark.rtl import *
from benchmark.simulator import State
from misc.benchmark_utils import *

name = "CountSavory"
prompts = [f"Go to every office; ask whoever is there to pick a cupcake, ham sandwich, donut or beef jerky; come back and tell me how many chose a savory option ({i})." for i in range(5)]

OFFICES = ["alice", "bob", "charlie", "david"]


def make_state(answers):
    s = State()
    for o in OFFICES:
        s.addLocation(f"{o}'s office")
    s.addLocation("lobby").addLocation("cafeteria").addLocation("start_loc")
    for who, ans in answers.items():
        s.addAgent(".*", f"{who}'s office", [ans])
    return s.addRobotLocation("start_loc")


def asked(trace, who, food):
    pat = contain_words([food])
    ask = trace.ActAtFirst(f"{who}'s office", Ask(pat, ".*")) or trace.ActAtFirst(f"{who}'s office", Ask(".*", pat))
    looked = trace.AfterFirst(GoTo(f"{who}'s office")).BeforeFirst(Ask(pat, ".*")).Exists(CheckEntity(".*"))
    return ask and looked


def times_asked(trace):
    n, t = 0, trace
    while t.Exists(Ask(".*", ".*")):
        n, t = n + 1, t.AfterFirst(Ask(".*", ".*"))
    return n


def make_test(answers, count):
    def test(trace_elements):
        trace = Trace(trace_elements)
        visits = all(trace.Exists(GoTo(f"{o}'s office")) for o in OFFICES)
        no_detour = not trace.Exists(GoTo("lobby")) and not trace.Exists(GoTo("cafeteria"))
        looked = all(trace.ActAtFirst(f"{o}'s office", CheckEntity(".*")) for o in OFFICES)
        asks = all(asked(trace, o, answers.get(o, ".*")) == (o in answers) for o in OFFICES)
        say = contain_words([count])
        before = all(trace.BeforeFirst(Say(say)).Exists(GoTo(f"{o}'s office")) for o in OFFICES)
        back = trace.AfterFirst(GoTo(contain_words_and_exlude_words([], ["start_loc"]))).ActAtFirst("start_loc", Say(say))
        return visits and no_detour and looked and asks and before and back and times_asked(trace) == len(answers)
    return test


CASES = [
    ({"alice": "donut", "bob": "cake", "charlie": "donut", "david": "cake"}, "0|.*zero|.*no"),
    ({"alice": "sandwich", "bob": "donut", "charlie": "cake", "david": "beef|jerky"}, "2|.*two"),
    ({"alice": "beef|jerky", "bob": "cake", "charlie": "cake"}, "1|.*one"),
    ({"bob": "sandwich", "charlie": "beef|jerky", "david": "sandwich"}, "3|.*three"),
]
tests = [{"state": make_state(a), "test": make_test(a, c), "timeout": False} for a, c in CASES]
