"""The checkers' machinery: the cases, comparing, reading templates, the guard, the slip model."""
import subprocess
import sys

import numpy as np
import pytest

from lstm_helpers import exercises as ex, gradflow, lstm, optim, rnn
from lstm_helpers.exercises import checking, guard, slips
from lstm_helpers.exercises.checking import Wrong


def test_cases_differ_in_shape_and_seed_and_avoid_ambiguous_sizes():
    cs = checking.cases(123)
    sizes = [(c.B, c.D, c.H) for c in cs]
    assert len(set(sizes)) == len(sizes) >= 4
    for c in cs[:-2]:  # the random ones: every transposition or swap shows in the shape
        assert c.B > 1 and len({c.B, c.D, c.H, c.H + c.D}) == 4
    assert (cs[-2].B, cs[-1].H) == (1, 1)  # the edges: one example, one unit
    draws = [c.rng.standard_normal() for c in cs]
    assert len(set(draws)) == len(draws)
    assert [(c.B, c.D, c.H) for c in checking.cases(124)] != sizes


def test_compare_explains_without_showing_the_numbers():
    want = np.array([[0.123456, -0.5], [0.25, 0.75]])
    checking.compare(want + 1e-12, want, "x")
    checking.compare(want.astype(np.float32), want, "x")  # float32 passes within its precision
    with pytest.raises(Wrong, match=r"shape \(2, 3\); it should have shape \(B, H\) = \(2, 2\)"):
        checking.compare(np.zeros((2, 3)), want, "x", letters="(B, H)")
    with pytest.raises(Wrong, match="transposed"):
        checking.compare(np.zeros((3, 2)), np.zeros((2, 3)), "x")
    with pytest.raises(Wrong, match="NaN"):
        checking.compare(want * np.nan, want, "x")
    with pytest.raises(Wrong, match="the slip"):
        checking.compare(2 * want, want, "x", [(2 * want, "the slip")])
    with pytest.raises(Wrong, match="between 0 and 1"):
        checking.compare(want, 0 * want, "x", within=(0, 1, "a gate's range"))
    with pytest.raises(Wrong, match="fractions were lost"):
        checking.compare(np.round(want).astype(int), want, "x")
    with pytest.raises(Wrong, match="narrowed") as info:
        checking.compare(want + 1, want, "x", explain=lambda: "narrowed")
    assert "0.123" not in str(info.value)
    for bad in (None, "abc", {"a": 1}, [[1], [2, 3]], np.ones(2) * 1j, np.array([object()]), print):
        with pytest.raises(Wrong):
            checking.compare(bad, want, "x")


def test_whole_numbers_and_pairs():
    assert checking.as_whole_number(np.int64(5), "n") == 5
    assert checking.as_whole_number(5.0, "n") == 5
    assert checking.as_whole_number(np.array(7), "n") == 7
    for bad in (5.5, "5", None, True, [5, 6], float("nan")):
        with pytest.raises(Wrong, match="whole number"):
            checking.as_whole_number(bad, "n")
    assert checking.as_pair([1, 2], "(a, b)") == [1, 2]
    with pytest.raises(Wrong, match=r"return a pair \(a, b\)"):
        checking.as_pair(np.zeros((2, 3)), "(a, b)")


def template(x):
    ...


def template_with_docstring(x):
    """Fill me in."""
    pass


def not_a_template(x):
    y = x + 1  # noqa: F841


def returns(x):
    def inner():
        return 1
    if x:
        return x


def nested_return_only(x):
    def inner():
        return 1


def test_templates_and_returns_are_read_from_the_source_or_the_bytecode():
    assert checking.is_template(template) and checking.is_template(template_with_docstring)
    assert not checking.is_template(not_a_template) and not checking.is_template(lambda x: None)
    assert checking.has_return(returns) is True
    assert checking.has_return(nested_return_only) is False and checking.has_return(not_a_template) is False
    assert checking.has_return(lambda x: x) is None
    scope = {}
    exec("def t(x):\n    ...\ndef d(x):\n    'doc'\ndef r(x):\n    raise NotImplementedError\n"
         "def w(x):\n    y = x + 1\n", scope)
    assert checking.is_template(scope["t"]) and checking.is_template(scope["d"])
    assert not checking.is_template(scope["w"])  # without source: code that does something is not the template
    assert checking.has_return(scope["w"]) is None


def _switched_off():
    return {"lstm.step": lstm.step, "lstm.forward": lstm.forward, "rnn.step": rnn.step,
            "optim.clip_grad_norm": optim.clip_grad_norm, "gradflow.state_jacobians": gradflow.state_jacobians}


def test_the_guard_restores_the_package_on_every_way_out():
    before = _switched_off()
    names = tuple(before)
    with guard.forbid(None, names):
        assert lstm.step is not before["lstm.step"]
        with pytest.raises(guard.PackageCalled):
            lstm.step(None, None, None, None)
    assert _switched_off() == before
    with pytest.raises(ZeroDivisionError):
        with guard.forbid(None, names):
            1 / 0
    assert _switched_off() == before
    with pytest.raises(KeyboardInterrupt):
        with guard.forbid(None, names):
            raise KeyboardInterrupt
    assert _switched_off() == before


PACKAGE_STEP = lstm.step  # as a notebook holds it after `from lstm_helpers.lstm import step`


def test_an_answer_that_calls_the_package_is_wrong_however_it_holds_it():
    def via_module(p, x, h, c):
        s = lstm.step(p, x, h, c)
        return s.c

    def via_alias(p, x, h, c):
        s = PACKAGE_STEP(p, x, h, c)
        return s.c

    def hiding_it(p, x, h, c):
        try:
            s = lstm.step(p, x, h, c)
        except Exception:  # the marker is a BaseException: this does not catch it
            pass
        return s.c

    def swallowing_it(p, x, h, c):
        try:
            lstm.step(p, x, h, c)
        except BaseException:
            pass
        return np.zeros_like(c)

    step = lstm.step

    def via_closure(p, x, h, c):
        s = step(p, x, h, c)
        return s.c

    def via_forward(p, x, h, c):
        out, _ = lstm.forward(p, x[:, None], h, c)
        return out.c[:, 0]

    before = _switched_off()
    for answer in (via_module, via_alias, hiding_it, swallowing_it, via_closure):
        r = ex.check("cell_state", answer)
        assert r.status == "wrong" and "lstm.step is what you are rebuilding" in r.message, (answer.__name__, r)
    assert "lstm.forward" in ex.check("cell_state", via_forward).message
    assert _switched_off() == before and PACKAGE_STEP is before["lstm.step"] and step is before["lstm.step"]
    assert "count the parameters yourself" in ex.check(
        "stacked_rnn_param_count", lambda D, H, L: sum(v.size for v in rnn.init_params(D, H, np.random.default_rng(0)).values())
    ).message


def test_the_slip_model_without_slips_is_the_package():
    """slips.py computes the LSTM again (with switches): with every switch off it must equal lstm.step."""
    rng = np.random.default_rng(0)
    p = lstm.init_params(3, 4, rng)
    for k in ("b_f", "b_i", "b_c", "b_o"):
        p[k] = rng.standard_normal(4)
    x, h, c = rng.standard_normal((5, 3)), rng.standard_normal((5, 4)), rng.standard_normal((5, 4))
    s = lstm.step(p, x, h, c)
    g = slips.lstm_gates(p, x, h)
    for ours, theirs in (("f", "f"), ("i", "i"), ("c", "g"), ("o", "o")):
        np.testing.assert_allclose(g[ours], getattr(s, theirs), rtol=1e-12)
    np.testing.assert_allclose(slips.update(g, c), s.c, rtol=1e-12)
    np.testing.assert_allclose(slips.readout(g, slips.update(g, c)), s.h, rtol=1e-12)
    q = {"W": p["W_f"], "b": p["b_f"]}
    np.testing.assert_allclose(slips.layer(q["W"], q["b"], x, h, np.tanh), rnn.step(q, x, h), rtol=1e-12)
    for value, why in slips.cell_slips(p, x, h, c):  # no slip is the right answer
        assert not np.allclose(value, s.c), why
    for value, why in slips.layer_slips(q["W"], q["b"], x, h):
        assert not np.allclose(value, s.f), why


def test_importing_the_package_does_not_import_the_exercises():
    code = "import sys, lstm_helpers; print('lstm_helpers.exercises' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
