"""What crosses to and from the worker comes back as it went, and nothing
the worker sends can make gradcheck unpickle or run anything."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from gradcheck import _wire

arrays = hnp.arrays(st.sampled_from([np.float64, np.float32, np.int64, np.bool_]), hnp.array_shapes(max_dims=3, max_side=4))
leaves = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=5), arrays,
                   st.sampled_from([np.float64(0.25), np.float32(1.5), np.int64(3)]))
trees = st.recursive(leaves, lambda inner: st.one_of(st.lists(inner, max_size=3), st.tuples(inner, inner),
                                                     st.dictionaries(st.text(max_size=3), inner, max_size=3)), max_leaves=8)


def same(a, b):
    if isinstance(a, (np.ndarray, np.generic)):
        a = np.asarray(a)
        return isinstance(b, np.ndarray) and a.dtype == b.dtype and np.array_equal(a, b, equal_nan=a.dtype.kind == "f")
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b and type(a) is type(b)


@given(trees)
def test_round_trip(tree):
    assert same(tree, _wire.decode(_wire.encode(tree)))


def test_unsupported_values_cross_as_their_type_name():
    value = _wire.decode(_wire.encode((lambda: 1, np.array(["a"]))))
    assert [v.type_name for v in value] == ["function", "ndarray"]


def test_a_pickled_array_is_refused():
    import base64
    import io

    buffer = io.BytesIO()
    np.save(buffer, np.array([object()], dtype=object), allow_pickle=True)
    with pytest.raises(ValueError):
        _wire.decode({"__array__": base64.b64encode(buffer.getvalue()).decode()})
