"""What crosses from a child in a record (robosim.record): values keep their types through JSON, and
what cannot prints and names its type as it did."""

import json

import pytest

from roboinstruct.robosim.record import DEPTH_LIMIT, Opaque, decode, encode, shown, typename


def crossed(value):
    return decode(json.loads(json.dumps(encode(value))))


def test_plain_values_cross_as_themselves():
    for value in ("kitchen", "", 3, -0.5, True, None, ["a", ["b", 2]], 10 ** 30):
        back = crossed(value)
        assert back == value and type(back) is type(value)


def test_other_values_cross_as_their_printed_forms():
    for value in (("a",), {"k": 1}, {1, 2}, len):
        back = crossed(value)
        assert type(back) is Opaque and typename(back) == type(value).__name__
        assert repr(back) == repr(value)[:200] and str(back) == str(value)[:200]


def test_decode_refuses_what_encode_never_writes():
    for raw in ({"type": "x"}, {"type": 1, "repr": "", "str": ""}, b"x", (1,)):
        with pytest.raises(ValueError):
            decode(raw)


def test_a_list_too_deep_to_print_prints_the_same_on_both_sides():
    deep = "kitchen"
    for _ in range(3000):
        deep = [deep]
    here = shown(deep)  # repr(deep) itself raises RecursionError
    assert here.startswith("[[[[") and "..." in here
    assert shown(crossed(deep)) == here  # cut at DEPTH_LIMIT when encoded, shortened alike when shown
    shallow = [[["a"]]]
    assert shown(shallow) == repr(shallow) and DEPTH_LIMIT > 3
