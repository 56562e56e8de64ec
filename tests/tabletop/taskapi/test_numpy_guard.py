"""numpy_guard on its own: what task code's numpy refuses (raw memory in every spelling) and what
it still does for GenSim's files (arrays, dtypes, isinstance, conversions)."""

import numpy as np
import pytest

from roboinstruct.tabletop.taskapi.numpy_guard import NumpyType, astype
from roboinstruct.tabletop.taskapi.standins import ReadOnly, numpy_standin


@pytest.fixture(scope="module")
def tnp():
    return numpy_standin()


def test_a_crafted_array_interface_is_not_an_array(tnp):
    buf = np.arange(4, dtype=np.uint64)
    fake = ReadOnly("mem", {"__array_interface__": {"data": (buf.ctypes.data, False), "shape": (4,),
                                                     "typestr": "<u8", "version": 3}})
    assert np.asarray(fake)[3] == 3  # what numpy itself does with it: memory at any address
    for call in (lambda: tnp.asarray(fake), lambda: tnp.array([fake]), lambda: tnp.zeros(2) + tnp.asarray(fake),
                 lambda: tnp.float64(fake)):
        with pytest.raises(TypeError, match="numbers, strings, lists and arrays"):
            call()


def test_no_object_dtype_no_buffer_no_raw_constructor(tnp):
    pointers = tnp.array([12345], dtype=tnp.int64)
    for call in (lambda: tnp.ndarray((1,), dtype="O", buffer=pointers), lambda: tnp.zeros(2, dtype="O"),
                 lambda: tnp.zeros(2, "O"), lambda: tnp.array([1], dtype="V8"), lambda: tnp.array([None, 1]),
                 lambda: tnp.asarray(b"\x00" * 8), lambda: tnp.array(pointers.astype("O")),
                 lambda: tnp.full(2, 1.0, like=pointers)):
        with pytest.raises(TypeError):
            call()


def test_what_task_files_do_still_works(tnp):
    a = tnp.zeros((2, 3), dtype=tnp.float32)
    assert a.dtype == np.float32 and isinstance(a, tnp.ndarray) and not isinstance([1], tnp.ndarray)
    assert a.astype(tnp.int64).dtype == np.int64 and tnp.float32 == np.float32
    assert isinstance(tnp.float64(2.5), tnp.float64) and float(tnp.float32(1.5)) == 1.5
    assert tnp.linalg.norm(tnp.array([3.0, 4.0])) == 5.0
    assert tnp.concatenate([tnp.ones(2), [1.0, 2.0]]).tolist() == [1.0, 1.0, 1.0, 2.0]
    items = [("red", 1), ("blue", 2)]
    tnp.random.shuffle(items)  # a list of anything: shuffled in place, never converted
    assert sorted(items) == [("blue", 2), ("red", 1)]
    assert tnp.random.choice(["a", "b"]) in ("a", "b") and tnp.unique([3, 1, 3]).tolist() == [1, 3]
    assert isinstance(tnp.ndarray, NumpyType)


def test_astype_refuses_object_and_raw_byte_dtypes(tnp):
    a = tnp.array([1.0, 2.0])
    for dtype in ("O", "V8", np.dtype(object), "object"):
        with pytest.raises(TypeError, match="object and raw-byte"):
            astype(a, dtype)
    with pytest.raises(TypeError, match="object and raw-byte"):
        astype(a, dtype="O")
    with pytest.raises(TypeError):
        astype(a, object)  # the builtin class itself is no plain value
    with pytest.raises(TypeError, match="buffer="):
        astype(a, tnp.int64, buffer=a)
    assert astype(a, tnp.int64).dtype == np.int64 and astype(a, "f4", copy=False).dtype == np.float32
    assert astype(np.float64(2.5), tnp.int32) == 2
