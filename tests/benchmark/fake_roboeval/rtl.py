"""Minimal look-alike of RoboEval's rtl module (for tests)."""
import re

SPECIAL_DELIM = "/$@!/"


class TraceElement:
    def __init__(self, element_name, value1, value2=None):
        self.element_name, self.value1, self.value2 = element_name, value1, value2


class StaticCheck:
    def __init__(self, element_name, regex_value1, regex_value2=None):
        self.element_name, self.regex_value1, self.regex_value2 = element_name, regex_value1, regex_value2

    def check_equal(self, other):
        if other.element_name != self.element_name:
            return False
        first = re.search(self.regex_value1, other.value1, re.IGNORECASE) is not None
        if self.regex_value2 is None:
            return first
        if other.value2 is None:
            raise Exception("StaticCheck: element has no options")
        return first and any(re.search(self.regex_value2, v, re.IGNORECASE) for v in other.value2)


def GoTo(r):
    return StaticCheck("GoTo", r)


def Say(r):
    return StaticCheck("Say", r)


def CheckEntity(r):
    return StaticCheck("CheckEntity", r)


def Pick(r):
    return StaticCheck("Pick", r)


def Place(r):
    return StaticCheck("Place", r)


def Ask(r1, r2):
    return StaticCheck("Ask", r1, r2)


class Trace:
    def __init__(self, traces):
        self.trace = traces

    def _index(self, sc, last=False):
        idx = [i for i, t in enumerate(self.trace) if sc.check_equal(t)]
        return (idx[-1] if last else idx[0]) if idx else None

    def AfterFirst(self, sc):
        i = self._index(sc)
        return self if i is None else Trace(self.trace[i + 1:])

    def BeforeFirst(self, sc):
        i = self._index(sc)
        return self if i is None else Trace(self.trace[:i])

    def AfterLast(self, sc):
        i = self._index(sc, True)
        return self if i is None else Trace(self.trace[i + 1:])

    def BeforeLast(self, sc):
        i = self._index(sc, True)
        return self if i is None else Trace(self.trace[:i])

    def Exists(self, sc):
        return self._index(sc) is not None

    def Terminal(self, sc):
        return sc.check_equal(self.trace[-1])

    def Precedes(self, a, b):
        return self.AfterFirst(a).Exists(b)

    def ActAtFirst(self, loc, action):
        elsewhere = GoTo(r"^(?!.*\b{loc}\b).*$".format(loc=loc))
        return self.Exists(GoTo(loc)) and self.AfterFirst(GoTo(loc)).BeforeFirst(elsewhere).Exists(action)
