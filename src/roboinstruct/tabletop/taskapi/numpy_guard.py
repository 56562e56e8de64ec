"""numpy for task code: every function behind a guard that takes numbers, strings, lists and arrays.

numpy turns almost anything into an array: an object's `__array_interface__` or buffer becomes an
array over the memory it names, and an object dtype over a buffer of integers becomes the objects
at those addresses. Either is raw memory, and raw memory is the real builtins. So nothing but
plain values reaches numpy from task code: arguments are walked (numbers, strings, None, lists,
tuples, slices, arrays and numpy scalars of numeric, bool or text dtype, the guarded dtypes), an
object or void dtype is refused as an argument, a dtype or a result, and numpy's classes are
stand-ins (`NumpyType`): callable as converters, usable in isinstance and as a dtype, but never the
real class (whose constructor takes `buffer=`).
"""

from __future__ import annotations

import functools

import numpy as np

MAX_DEPTH = 32  # nested lists deeper than any pose or matrix: refused rather than walked
_BAD_KINDS = "OV"  # object and void (structured/raw bytes) dtypes
_LEAVES = (bool, int, float, str, type(None), slice, type(Ellipsis))


class NumpyType:
    """A numpy class as task code sees it: np.float32(x) converts (guarded), isinstance(x,
    np.ndarray) works, and dtype=np.float32 means what it says; np.ndarray(...) itself does not
    construct (its buffer/strides/offset arguments are raw memory)."""

    __slots__ = ("_cls", "dtype")

    def __init__(self, cls: type):
        object.__setattr__(self, "_cls", cls)
        # numpy accepts any object with a `.dtype` as a dtype (arr.astype(np.float32) on a real array)
        object.__setattr__(self, "dtype", np.dtype(cls) if cls is not np.ndarray else None)

    def __call__(self, *args, **kwargs):
        if self._cls is np.ndarray:
            raise TypeError("np.ndarray(...) is not available to task code; use np.array, np.zeros or np.ones")
        return _out(self._cls(*_plain(args), **_plain_kwargs(kwargs)))

    def __instancecheck__(self, obj) -> bool:
        return isinstance(obj, self._cls)

    def __setattr__(self, key, value):
        raise AttributeError("numpy is read-only in task code")

    def __eq__(self, other):
        return other is self or other is self._cls or (self.dtype is not None and other == self.dtype)

    def __hash__(self):
        return hash(self._cls)

    def __repr__(self):
        return f"<class 'numpy.{self._cls.__name__}'>"


def _reject(value) -> TypeError:
    return TypeError(f"numpy in task code takes numbers, strings, lists and arrays, not {type(value).__name__}")


def _dtype_ok(value) -> None:
    """A dtype given as a string, a class or a dtype: never object or void."""
    try:
        kind = np.dtype(value).kind
    except (TypeError, ValueError):
        return  # not a dtype spelling: numpy will say so itself
    if kind in _BAD_KINDS:
        raise TypeError("object and raw-byte dtypes are not available to task code")


def _plain(value, depth: int = 0):
    """The value with guarded types unwrapped, or TypeError if anything in it is not plain data."""
    if depth > MAX_DEPTH:
        raise TypeError(f"numpy in task code: lists nested deeper than {MAX_DEPTH}")
    if isinstance(value, NumpyType):
        return value._cls
    if type(value) in _LEAVES:
        return value
    if type(value) in (list, tuple):
        items = [_plain(v, depth + 1) for v in value]
        return items if type(value) is list else tuple(items)
    if type(value) is range:
        return value
    if type(value) is np.ndarray or isinstance(value, np.generic):  # no subclasses (matrix, masked, records)
        if value.dtype.kind in _BAD_KINDS:
            raise TypeError("object and raw-byte arrays are not available to task code")
        return value
    if isinstance(value, np.dtype):
        _dtype_ok(value)
        return value
    raise _reject(value)


def _plain_kwargs(kwargs: dict) -> dict:
    out = {}
    for key, value in kwargs.items():
        if key in ("buffer", "offset", "strides", "like", "out"):  # aliasing or writing other memory
            raise TypeError(f"numpy's {key}= is not available to task code")
        value = _plain(value)
        if key == "dtype":
            _dtype_ok(value)
        out[key] = value
    return out


def _out(result):
    """A result that is plain data (an object array can hold what no argument could name)."""
    if isinstance(result, (np.ndarray, np.generic)) and result.dtype.kind in _BAD_KINDS:
        raise TypeError("numpy gave an object array: task code may only use numeric and text arrays")
    if type(result) in (tuple, list) and len(result) <= 64:
        for item in result:
            if isinstance(item, (np.ndarray, np.generic)) and item.dtype.kind in _BAD_KINDS:
                raise TypeError("numpy gave an object array: task code may only use numeric and text arrays")
    return result


def astype(value, *args, **kwargs):
    """`value.astype(...)` as task code calls it (taskcode rewrites every call to this): an array's
    own method, so no stand-in stands before it, hence the dtype checked here: never object or void."""
    args = _plain(args)
    kwargs = _plain_kwargs(kwargs)
    if args:
        _dtype_ok(args[0])
    return _out(value.astype(*args, **kwargs))


def guard(fn, name: str, pass_through: bool = False):
    """fn behind the argument and result checks. `pass_through`: the first argument is any list
    (np.random.shuffle/choice/permutation work on a list's items, not its memory)."""

    @functools.wraps(fn)
    def guarded(*args, **kwargs):
        head = args[:1] if pass_through and args and type(args[0]) is list else _plain(args[:1])
        rest = _plain(args[1:])
        for a in (*head, *rest):
            if type(a) is str and len(a) <= 16:  # a positional dtype (np.zeros(3, 'O'))
                _dtype_ok(a)
        return _out(fn(*head, *rest, **_plain_kwargs(kwargs)))

    guarded.__qualname__ = guarded.__name__ = name
    return guarded

