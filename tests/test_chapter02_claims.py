"""Chapter 02: what its prose says about its own run holds on that run (executed once per session)."""
import json

import numpy as np
import pytest

from lstm_helpers import tasks, widgets
from lstm_helpers import exercises as ex

from conftest import chapter_path

CHAPTER = "02"  # the notebook the fixture `ch` runs (tests/conftest.py)


def test_jacobian_table_reads_as_the_text_says(ch):
    table = {float(k): v for k, v in ch.values["jacobian_table"].items()}  # distances 1, 10, 50, 100
    for rho in (0.8, 0.9):  # "below ρ = 1 ... smaller by many orders of magnitude"
        assert table[rho][3] < 1e-3 * table[rho][0]
    assert table[1.0][3] < table[1.0][0]  # "at ρ = 1 it still falls"
    assert 0.1 < table[1.1][3] < 10  # "a little above 1 the two effects can balance"
    assert 1 < table[1.3][3] < 1.3 ** 100 / 1e6  # "it grows, though far less than ρ^(T−t)"
    assert "many orders of magnitude" in ch.source("02-06") and "far less than" in ch.source("02-06")


def test_rnn_learns_t20_and_stays_at_the_baseline_at_t100(ch):
    mse, own = ch.values["mse"], ch.values["own_baseline"]
    base = tasks.ADDING_BASELINE_MSE
    assert mse["20"] < base / 4  # "the T = 20 model learned the task"
    assert mse["100"] > 0.9 * own["100"] and mse["100"] > 0.9 * base  # "stayed at the baseline"
    assert abs(mse["100"] - own["100"]) < 0.05 * own["100"]  # "about what the best constant answer scores"
    assert ch.values["answer_spread"]["100"] < 0.1 * ch.values["target_spread"]["100"]  # "barely spread"
    assert "learned it" in ch.printed("02-13") and "stayed near the baseline" in ch.printed("02-13")


def test_gradient_reaches_h1_before_training_and_vanishes_after(ch):
    rel = ch.values["relative"]  # shares at h_100, h_91, h_76, h_51, h_26, h_1
    assert 1e-3 < rel["before"][-1] < 0.1  # "about a hundredth of the last step's gradient"
    assert rel["after"][-1] < 1e-6 and rel["after"][-1] < 1e-4 * rel["before"][-1]  # orders of magnitude
    assert all(a > b for a, b in zip(rel["after"][1:], rel["after"][2:]))  # falls with the distance


def test_vanishing_after_training_comes_from_saturation_not_rho_below_1(ch):
    v = ch.values
    assert abs(v["radius"]["before"] - 1) < 1e-6
    assert v["radius"]["after"] > 1  # "training did not shrink W_h: its spectral radius grew above 1"
    assert v["mean_slope"]["after"] < v["mean_slope"]["before"] - 0.1
    assert v["flat_units"]["before"] == 0 and v["flat_units"]["after"] >= 2  # "several units close to ±1"
    assert "saturation, not from" in ch.source("02-15b")


def test_clipping_caps_the_exploding_and_leaves_the_vanishing(ch):
    v = ch.values
    assert v["exploding_norm"] > 1e3 and v["exploding_after"] == pytest.approx(1.0)
    assert v["vanishing_norm"] < 1.0 and v["unchanged"] is True


def test_explorer_story_in_the_text_holds():
    """02-06: at b_f = 1 the cell path alone carries almost nothing over 50 steps, the total far more;
    at b_f = 3 the cell path opens (f ≈ 0.95) and the total rises above 1."""
    g = widgets.GradientFlowExplorer()
    assert g.forget_bias.value == 1.0 and 0.70 < g.values["f_mean"] < 0.76  # "average about 0.73"
    assert g.values["cell_path"][50] < 1e-5 and g.values["lstm_c"][50] > 1e3 * g.values["cell_path"][50]
    for b in (3.0, 4.0, 5.0, 6.0):
        g.forget_bias.value = b
        assert g.values["lstm_h"].max() > 1 and g.values["lstm_c"][50] > 1  # "rises above 1"
    g.forget_bias.value = 3.0
    assert 0.93 < g.values["f_mean"] < 0.97 and g.values["cell_path"][50] > 0.05
    # equal footing: both cells' recurrent blocks have the slider's ρ as every singular value
    H = g.H
    for W in [g._Q["W"]] + [g._lstm[f"W_{k}"] for k in "fico"]:
        np.testing.assert_allclose(np.linalg.svd(W[:, :H], compute_uv=False), 1.0)


def test_the_prediction_exercise_accepts_the_distance_the_next_cell_computes(ch):
    """02-p1 asks for the smallest T - t with 0.8^(T - t) below 0.01; 02-p3 computes it and measures below it."""
    v = ch.values
    assert v["first_below"] == 21 and ex.check("predict_bound", v["first_below"])
    assert v["bound"][20] > 0.01 > v["bound"][21]
    assert all(m <= b * (1 + 1e-12) for m, b in zip(v["measured"], v["bound"]))  # "never above it"
    assert "never above it: True" in ch.printed("02-p3")


def test_no_cell_above_the_prediction_gives_its_answer(ch):
    """The explorer's table shows the bound ρ^(T−t) at T − t = 1, 10, 50 (its ρ slider reaches 0.5, so it would
    show 0.5^10): it does not show the distance at which 0.8^(T − t) falls below 0.01, nor does section 2's table."""
    g = widgets.GradientFlowExplorer()
    g.radius.value = 0.8
    assert "T−t = 20<" not in g.table.value and "T−t = 21<" not in g.table.value and "T−t = 10<" in g.table.value
    assert ch.values["distances"] == [1, 10, 50, 100]


def sci(x, digits=1):
    """x as the questions write it: $4.1 \\times 10^{5}$."""
    mantissa, exponent = f"{x:.{digits}e}".split("e")
    return f"${mantissa} \\times 10^{{{int(exponent)}}}$"


def test_questions_students_ask_use_this_runs_numbers(ch):
    v, text = ch.values, ch.source("02-qa")
    table = {float(k): row for k, row in v["jacobian_table"].items()}  # distances 1, 10, 50, 100
    assert f"$\\rho = 1.3$ gives {table[1.3][3]:.0f} at 100 steps back" in text
    assert f"where $1.3^{{100}} = {sci(1.3 ** 100)[1:]}" in text and table[1.3][3] < 1e-8 * 1.3 ** 100
    after = v["relative"]["after"][-1]  # h_1's share after training
    assert 10 ** -8.5 < after < 10 ** -7.5 and "$h_1$ received about $10^{-8}$ of the gradient" in text
    # clipping: the exploding norm is cut to 1; the vanishing one, about 0.01, comes out exactly as it went in
    assert f"norm, {sci(v['exploding_norm'])}, is cut to 1" in text and v["exploding_after"] == pytest.approx(1.0)
    assert 0.007 < v["vanishing_norm"] < 0.015 and "of norm about 0.01 (below the threshold 1)" in text
    assert v["unchanged"] is True and "comes out of clipping exactly as it went in" in text
    assert f"it would have to be {sci(v['exploding_norm'], 0)} times smaller" in text
    assert f"fell from {v['mean_slope']['before']:.2f} to about {v['mean_slope']['after']:.1f}" in text
    assert f"$h_1$ still received {sci(v['relative']['before'][-1])} of the last step's gradient, 99" in text
    assert v["mse"]["20"] < tasks.ADDING_BASELINE_MSE / 4 < v["mse"]["100"]  # "learned ... over 20 and not over 100"
    chapter04 = " ".join(" ".join("".join(c["source"]).split())
                         for c in json.loads(chapter_path("04").read_text(encoding="utf-8"))["cells"])
    assert "in 3 of 5 seeds" in text and "in 3 of 5 seeds" in chapter04
