"""Chapter 03: what its prose says about its own run holds on that run (executed once per session)."""
import numpy as np
import pytest

from lstm_helpers import widgets
from lstm_helpers import exercises as ex

CHAPTER = "03"  # the notebook the fixture `ch` runs (tests/conftest.py)


def test_the_conveyor_belt_keeps_the_cell_exactly_and_passes_the_gradient_whole(ch):
    """'force the forget gate to 1 and the input gate to 0 and the cell state comes out of 50 steps exactly
    as it went in'; 'The gradient along the belt is the product of the forget gates: 1 here, 0.9^50'."""
    belt, c0 = ch.values["belt"], np.array(ch.values["c0"])[0]
    np.testing.assert_array_equal(belt["1.0"]["C_50"], c0)
    np.testing.assert_array_equal(belt["1.0"]["dC_50/dC_0"], np.ones(4))
    np.testing.assert_allclose(belt["0.9"]["dC_50/dC_0"], 0.9 ** 50, rtol=1e-12)
    np.testing.assert_allclose(belt["0.9"]["C_50"], 0.9 ** 50 * c0, rtol=1e-12)


def test_h_not_c_goes_on_to_the_next_layer(ch):
    assert "to the next layer as its input. $C_t$ goes only to the next step" in ch.source("03-04")
    assert "next layer of a stacked LSTM. $C_t$ goes only to the next step" in ch.source("03-09")


def test_the_gate_equations_are_in_the_text(ch):
    text = ch.cell("03-09").source
    for eq in (r"f_t = \sigma\big(W_f\cdot[h_{t-1}, x_t] + b_f\big)",
               r"i_t = \sigma\big(W_i\cdot[h_{t-1}, x_t] + b_i\big)",
               r"\tilde C_t = \tanh\big(W_C\cdot[h_{t-1}, x_t] + b_C\big)",
               r"C_t = f_t \odot C_{t-1} + i_t \odot \tilde C_t", r"o_t = \sigma\big(W_o\cdot[h_{t-1}, x_t] + b_o\big)",
               r"h_t = o_t \odot \tanh(C_t)"):
        assert eq in text, eq


def test_the_text_names_every_preset_the_explorer_offers(ch):
    table = [line for line in ch.cell("03-10").source.splitlines() if line.startswith("| *")]
    names = [line.split("*")[1] for line in table]
    assert names == widgets.GateExplorer().presets == [widgets.START] + list(widgets.PRESETS)
    assert list(ch.values["preset_results"]) == names


def test_each_preset_does_what_the_table_says(ch):
    r, c_prev = ch.values["preset_results"], 1.0
    pins = {"start": {}, **widgets.PRESETS}
    for name, v in r.items():
        for gate, bias in pins[name].items():  # 'within 0.003 of 0 or 1'
            assert abs(v[gate] - (1.0 if bias > 0 else 0.0)) < 0.003, (name, gate)
    assert abs(r["remember"]["c"] - c_prev) < 0.01
    assert abs(r["forget"]["c"]) < 0.01
    assert abs(r["overwrite"]["c"] - r["overwrite"]["g"]) < 0.01
    assert abs(r["accumulate"]["c"] - (c_prev + r["accumulate"]["g"])) < 0.01
    assert abs(r["read out"]["c"] - c_prev) < 0.01 and abs(r["read out"]["h"] - np.tanh(c_prev)) < 0.01
    text = ch.source("03-11c")
    assert f"$\\tilde C_t = {r['overwrite']['g']:.2f}$" in text and f"the sum {r['accumulate']['c']:.2f}" in text
    assert f"$h_t = {r['read out']['h']:.2f} \\approx \\tanh(1)$" in text


def test_start_is_the_explorer_as_it_starts(ch):
    """The start row is the static picture's numbers (gate_explorer.png's alt text)."""
    r, g = ch.values["preset_results"]["start"], widgets.GateExplorer()
    for k in "figoch":
        assert r[k] == pytest.approx(float(getattr(g.record, k)[0]), abs=1e-12)


def test_the_prediction_exercise_accepts_what_the_next_cell_computes(ch):
    assert ex.check("predict_conveyor", ch.values["c_50"])
