"""The trace operator library: RoboEval's meanings, including its 'anchor absent' convention."""

from __future__ import annotations

import re

from roboinstruct.benchmark.checks import (
    Ask,
    CheckEntity,
    GoTo,
    Pick,
    Place,
    Say,
    Trace,
    contain_and_exclude,
    contain_words,
)
from roboinstruct.benchmark.trace import Element

T = Trace([Element("GoTo", "printer room"), Element("CheckEntity", "stapler"), Element("GoTo", "kitchen"),
           Element("Ask", "want coffee?", ["yes", "no"]), Element("Pick", "mug"), Element("GoTo", "printer room"),
           Element("Place", "mug"), Element("Say", "done")])


def test_exists_count_terminal():
    assert T.exists(GoTo("kitchen")) and not T.exists(GoTo("garage"))
    assert T.count(GoTo(".*")) == 3
    assert T.terminal(Say("done")) and not T.terminal(GoTo(".*"))
    assert not Trace([]).terminal(Say())


def test_sub_traces_and_absent_anchor():
    assert len(T.after_first(GoTo("printer"))) == 7
    assert len(T.before_first(GoTo("kitchen"))) == 2
    assert len(T.after_last(GoTo("printer"))) == 2
    assert len(T.before_last(GoTo("printer"))) == 5
    for op in (T.after_first, T.before_first, T.after_last, T.before_last):
        assert op(GoTo("garage")) is T  # anchor absent: unchanged


def test_precedes_and_act_at_first():
    assert T.precedes(Pick("mug"), Place("mug")) and not T.precedes(Place("mug"), Pick("mug"))
    assert T.act_at_first("printer room", CheckEntity("stapler"))
    assert not T.act_at_first("printer room", Place("mug"))  # only at the first visit
    assert T.act_at_first("kitchen", Pick("mug"))
    assert not T.act_at_first("garage", Say())


def test_matchers_kind_value_and_any_option():
    assert Ask("coffee", "no")(Element("Ask", "want coffee?", ["yes", "no"]))
    assert not Ask("coffee", "maybe")(Element("Ask", "want coffee?", ["yes", "no"]))
    assert not Say("coffee")(Element("Ask", "coffee", None))
    assert GoTo("KITCHEN")(Element("GoTo", "kitchen"))  # case-insensitive


def test_roboeval_style_elements_are_accepted():
    class TE:
        def __init__(self, n, v1, v2=None):
            self.element_name, self.value1, self.value2 = n, v1, v2

    assert Trace([TE("GoTo", "lab"), TE("Say", "hi")]).act_at_first("lab", Say("hi"))


def test_word_pattern_helpers():
    p = contain_words(["cheese", "bread"])
    assert re.search(p, "bread and cheese") and not re.search(p, "cheese only")
    q = contain_and_exclude(["office"], ["start_loc"])
    assert re.search(q, "bob's office") and not re.search(q, "start_loc office")
    away = contain_and_exclude([], ["start_loc"])
    assert re.search(away, "kitchen") and not re.search(away, "start_loc")
