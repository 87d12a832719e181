import numpy as np
import pytest

from lstm_helpers import gradcheck


def test_numerical_gradient_of_a_known_function_and_restores_the_array():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((3, 4))
    before = a.copy()
    g = gradcheck.numerical_gradient(lambda: np.sum(np.sin(a)) + 0.5 * np.sum(a * a), a)
    np.testing.assert_allclose(g, np.cos(before) + before, rtol=1e-8, atol=1e-9)
    np.testing.assert_array_equal(a, before)


def test_rel_error_is_zero_for_equal_and_large_for_wrong():
    a = np.arange(5.0)
    assert gradcheck.rel_error(a, a) == 0.0
    assert gradcheck.rel_error(np.zeros(3), np.zeros(3)) == 0.0
    assert gradcheck.rel_error(a, 2 * a) == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="shapes"):
        gradcheck.rel_error(np.zeros(3), np.zeros(4))


def test_check_gradients_catches_a_wrong_gradient():
    w = np.array([1.0, -2.0, 3.0])
    errors = gradcheck.check_gradients(lambda: np.sum(w ** 3), {"w": w}, {"w": 3 * w ** 2})
    assert errors["w"] < 1e-8
    errors = gradcheck.check_gradients(lambda: np.sum(w ** 3), {"w": w}, {"w": 2 * w ** 2})
    assert errors["w"] > 1e-2
    with pytest.raises(KeyError, match="w"):
        gradcheck.check_gradients(lambda: 0.0, {"w": w}, {})
