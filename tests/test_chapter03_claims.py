"""Chapter 03: what its prose says about its own run holds on that run (executed once per session)."""
import numpy as np
import pytest

from lstm_helpers import diagrams, widgets
from lstm_helpers import exercises as ex
from lstm_helpers.activations import sigmoid

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
    assert ch.values["c_50"] == pytest.approx(0.7 * 0.99 ** 50, rel=1e-12)
    assert ex.check("predict_conveyor", ch.values["c_50"])
    assert "39% of C_0 is gone" in ch.printed("03-p3")


def test_no_cell_above_the_prediction_gives_its_answer(ch):
    """03-06 runs the belt with f = 1 and f = 0.9 (C_0 = 0.7 in the first unit); the exercise asks for f = 0.99."""
    assert sorted(ch.values["belt"]) == ["0.9", "1.0"]
    assert "0.42" not in ch.printed("03-06")


def test_gate_demo_question_is_answered_by_what_the_demo_shows(ch):
    """03-08q: at 0.20 the first component lets 0.30 out, the others -0.16 and 0.12; no setting enlarges or flips."""
    text, fmt = ch.source("03-08q"), diagrams.Chips.format
    assert "widgets.GateDemo(signal=[1.5, -0.8, 0.6])" in ch.source("03-08")
    gate = widgets.GateDemo(signal=[1.5, -0.8, 0.6])
    assert "The vector 1.50, -0.80, 0.60 flows in" in text
    gate.gate.value = 0.2
    shown = [fmt(v) for v in gate.diagram.chips["out"].values]
    assert shown[0] == "0.30" and "At 0.20: the gate" in text
    assert f"so {shown[0]}, {shown[1]} and {shown[2]} pass out" in text
    for value in np.linspace(0, 1, 101):  # "no setting lets more out than went in, or flips a sign"
        gate.gate.value = value
        out, signal = gate.diagram.chips["out"].values, gate.signal
        assert np.all(np.abs(out) <= np.abs(signal)) and np.all(out * signal >= 0)
        assert fmt(out[0]) != "0.30" or abs(value - 0.2) < 0.005  # only 0.20 shows 0.30


def test_gate_explorer_question_is_answered_by_what_the_explorer_shows(ch):
    """03-11q: read out with C_(t-1) = 3, then accumulate; the numbers as the diagram prints them (2 decimals)."""
    text, fmt = ch.source("03-11q"), diagrams.Chips.format
    e = widgets.GateExplorer()
    e.preset.value = "read out"
    e.sliders["c_prev[0]"].value = 3.0
    r = e.record
    assert e.preset.value == "read out"  # moving an input keeps the preset
    assert f"With *read out*, $C_t = {fmt(r.c[0])}$ and $h_t = {fmt(r.h[0])}$" in text
    assert f"($f = {r.f[0]:.4f}$, $i = {r.i[0]:.4f}$)" in text and f"($o = {r.o[0]:.4f}$)" in text
    assert f"\\tanh(3) = {np.tanh(3):.3f}" in text
    e.preset.value = "accumulate"
    r = e.record
    assert e.sliders["c_prev[0]"].value == 3.0  # "leaving C_(t-1) at 3"
    assert f"With *accumulate*, $C_t = {fmt(r.c[0])}$, the old 3 plus the candidate {fmt(r.g[0])}" in text
    assert f"$h_t$ falls to {fmt(r.h[0])}" in text and f"back at its starting {fmt(r.o[0])}" in text
    assert r.o[0] == pytest.approx(widgets.GateExplorer().record.o[0])  # the starting output gate
    # the table right below (03-11b) is at C_(t-1) = 1: it does not give these numbers
    rows = ch.values["preset_results"]
    assert all(fmt(row["c"]) not in ("2.99", "3.78") for row in rows.values())


def test_questions_students_ask_use_this_chapters_numbers(ch):
    text, v = ch.source("03-qa"), ch.values
    assert f"$0.9^{{50}} = {v['belt']['0.9']['dC_50/dC_0'][0]:.4f}$ over 50 steps" in text
    assert f"$f = \\sigma(1) = {sigmoid(1):.2f}$" in text
    mantissa, exponent = f"{sigmoid(1) ** 100:.1e}".split("e")
    assert f"$\\sigma(1)^{{100}} = {mantissa} \\times 10^{{{int(exponent)}}}$" in text
    assert f"$\\sigma(\\pm 6)$: {sigmoid(6):.4f} and {sigmoid(-6):.4f}" in text
    p = v["p"]
    assert np.shape(p["W_f"]) == (4, 7) and len(v["c0"][0]) == 4  # "has 4 (its C_0 has four entries)"
    n = sum(np.size(a) for a in p.values())
    assert f"$4 \\times 4 \\times (4 + 3 + 1) = {n}$ parameters ({n + 4 * 4} in PyTorch" in text
