import numpy as np
import pytest

from lstm_helpers import optim


def quadratic(params):
    """f = 0.5 sum (p - 3)^2 over every parameter; its gradient is p - 3."""
    return {k: p - 3.0 for k, p in params.items()}


@pytest.mark.parametrize("make", [lambda p: optim.SGD(p, lr=0.1), lambda p: optim.SGD(p, lr=0.1, momentum=0.9),
                                  lambda p: optim.Adam(p, lr=0.1)])
def test_optimisers_minimise_a_quadratic_in_place(make):
    params = {"a": np.zeros((2, 3)), "b": np.full(4, 10.0)}
    a_ref = params["a"]
    opt = make(params)
    for _ in range(500):
        opt.step(quadratic(params))
    assert params["a"] is a_ref  # updated in place
    np.testing.assert_allclose(params["a"], 3.0, atol=1e-3)
    np.testing.assert_allclose(params["b"], 3.0, atol=1e-3)


def test_adam_first_step_moves_each_entry_by_lr():
    params = {"w": np.array([1.0, -1.0, 5.0])}
    optim.Adam(params, lr=0.01).step({"w": np.array([100.0, -0.001, 3.0])})
    np.testing.assert_allclose(params["w"], [0.99, -0.99, 4.99], atol=1e-5)  # eps shifts it slightly


def test_clip_grad_norm_scales_to_max_and_keeps_direction():
    grads = {"a": np.array([3.0, 0.0]), "b": np.array([[4.0]])}
    norm = optim.clip_grad_norm(grads, 1.0)
    assert norm == pytest.approx(5.0)
    assert optim.global_norm(grads) == pytest.approx(1.0)
    np.testing.assert_allclose(grads["a"], [0.6, 0.0])
    np.testing.assert_allclose(grads["b"], [[0.8]])
    small = {"a": np.array([0.1])}
    optim.clip_grad_norm(small, 1.0)
    np.testing.assert_array_equal(small["a"], [0.1])  # below the limit: untouched


def test_optimisers_name_what_is_wrong():
    params = {"w": np.zeros(3)}
    with pytest.raises(KeyError, match="w"):
        optim.SGD(params).step({})
    with pytest.raises(ValueError, match=r"\(2,\)"):
        optim.Adam(params).step({"w": np.zeros(2)})
    with pytest.raises(ValueError, match="lr"):
        optim.Adam(params, lr=-1)
    with pytest.raises(ValueError, match="max_norm"):
        optim.clip_grad_norm({"w": np.zeros(3)}, 0)
