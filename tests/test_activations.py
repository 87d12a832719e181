import math

import numpy as np
import pytest

from lstm_helpers.activations import dsigmoid, dtanh, sigmoid, tanh


def exact_sigmoid(z):
    """The textbook formula, written so that it never overflows (a reference, not the package's code)."""
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_sigmoid_is_stable_at_the_extremes(dtype):
    z = np.array([-1000.0, -100.0, -30.0, 0.0, 30.0, 100.0, 1000.0], dtype=dtype)
    with np.errstate(all="raise"):  # any overflow or underflow warning would raise here
        s = sigmoid(z)
    assert s.dtype == dtype
    assert np.all((s >= 0) & (s <= 1))
    assert s[0] == 0.0 and s[-1] == 1.0 and s[3] == 0.5


def test_sigmoid_has_full_relative_precision_in_both_tails():
    for z in [-700.0, -80.0, -30.0, -5.0, -1e-8, 0.0, 1e-8, 2.0, 30.0, 80.0]:
        assert sigmoid(np.array(z)) == pytest.approx(exact_sigmoid(z), rel=1e-15, abs=0)


def test_sigmoid_accepts_lists_ints_and_scalars_and_writes_in_place():
    np.testing.assert_allclose(sigmoid([0, 1, -1]), [0.5, 1 / (1 + math.exp(-1)), 1 / (1 + math.e)])
    assert isinstance(sigmoid(0.0), np.floating)
    z = np.linspace(-5, 5, 11)
    z_copy = z.copy()
    s = sigmoid(z)
    np.testing.assert_array_equal(z, z_copy)  # the input is left alone
    out = sigmoid(z, out=z)
    assert out is z
    np.testing.assert_array_equal(z, s)


def test_derivatives_match_central_differences():
    z = np.linspace(-4, 4, 17)
    eps = 1e-6
    num_sig = (sigmoid(z + eps) - sigmoid(z - eps)) / (2 * eps)
    num_tanh = (np.tanh(z + eps) - np.tanh(z - eps)) / (2 * eps)
    np.testing.assert_allclose(dsigmoid(sigmoid(z)), num_sig, rtol=1e-7, atol=1e-10)
    np.testing.assert_allclose(dtanh(tanh(z)), num_tanh, rtol=1e-7, atol=1e-10)
