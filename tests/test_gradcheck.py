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


def test_errors_by_step_is_exact_where_the_truncation_error_is_known():
    """Central differences of sin give cos(a) sin(eps) / eps exactly, so the relative error is (1 - s) / (1 + s)."""
    a = np.random.default_rng(1).standard_normal((2, 3))
    before = a.copy()
    eps = np.array([0.3, 0.1, 0.03])
    errors = gradcheck.errors_by_step(lambda: np.sum(np.sin(a)), {"a": a}, {"a": np.cos(a)}, eps)
    s = np.sin(eps) / eps
    np.testing.assert_allclose(errors, (1 - s) / (1 + s), rtol=1e-6)
    np.testing.assert_array_equal(a, before)
    with pytest.raises(KeyError, match="a"):
        gradcheck.errors_by_step(lambda: 0.0, {"a": a}, {}, eps)


def test_errors_by_step_joins_every_array():
    w, v = np.array([1.0, -2.0]), np.array([0.5])
    f = lambda: np.sum(w ** 3) + np.sum(v ** 3)
    good = {"w": 3 * w ** 2, "v": 3 * v ** 2}
    assert gradcheck.errors_by_step(f, {"w": w, "v": v}, good, [1e-5])[0] < 1e-9
    bad = {"w": 3 * w ** 2, "v": 2 * v ** 2}  # one array wrong: the joined error shows it
    joined = np.concatenate([3 * w ** 2, 3 * v ** 2]), np.concatenate([3 * w ** 2, 2 * v ** 2])
    assert gradcheck.errors_by_step(f, {"w": w, "v": v}, bad, [1e-5])[0] == pytest.approx(
        gradcheck.rel_error(*joined), rel=1e-6)


def test_lstm_example_truncation_and_round_off():
    """The curve of the small LSTM: slope 2 on the right (truncation), -1 on the left (round-off); float32's floor."""
    rng = np.random.default_rng
    loss, p, grads = gradcheck.lstm_example(rng(0))
    assert set(p) == set(grads) and sum(v.size for v in p.values()) == 40
    assert max(gradcheck.check_gradients(loss, p, grads).values()) < 1e-8
    loss32, p32, grads32 = gradcheck.lstm_example(rng(0), dtype=np.float32)
    for k in p:
        assert p32[k].dtype == grads32[k].dtype == np.float32
        np.testing.assert_array_equal(p32[k], p[k].astype(np.float32))
    assert isinstance(loss32(), np.float32) and loss32() == pytest.approx(loss(), rel=1e-5)
    eps = 10.0 ** np.arange(-12, -0.9, 1.0)
    e64 = gradcheck.errors_by_step(loss, p, grads, eps)
    e32 = gradcheck.errors_by_step(loss32, p32, grads32, eps)
    def slope(k):  # of a straight line through the points k on log-log axes
        return np.polyfit(np.log10(eps[k]), np.log10(e64[k]), 1)[0]
    assert 1.9 < slope(slice(-4, None)) < 2.1     # 1e-4 ... 1e-1: like eps^2 (truncation)
    assert -1.1 < slope(slice(0, 6)) < -0.9       # 1e-12 ... 1e-7: like 1/eps (round-off, noisy point by point)
    assert eps[np.argmin(e64)] == 1e-5 and e64.min() < 1e-10
    assert e32[0] == 1.0                                            # a + 1e-12 == a in float32
    assert e32.min() > 1e-6 and e32.min() > 1e4 * e64.min()
    np.testing.assert_allclose(e32[-1], e64[-1], rtol=0.05)         # truncation: the formula's error, not the dtype's
