"""Chapter 00: what its prose says about its own run holds on that run (executed once per session)."""
import re
from pathlib import Path

import numpy as np
import pytest

from lstm_helpers import diagrams, exercises
from lstm_helpers.exercises import ch00

CHAPTER = "00"  # the notebook the fixture `ch` runs (tests/conftest.py)

ROOT = Path(__file__).resolve().parents[1]


def test_the_films_are_as_printed(ch):
    v = ch.values
    labels = np.array(v["labels"])
    assert len(v["films"]) == 500 and labels.size == 500 * 30
    assert f"{labels.mean():.0%} of them after the door opened" in ch.printed("00-04")


def test_frame_by_frame_model_is_stuck_at_the_best_constant_answer(ch):
    """'the best such a model can do is: answer 1 on the event frame and, on every other frame, the more
    common label'; the Summary: 'the best it can do on the film is the accuracy printed above'."""
    v = ch.values
    labels, events = np.array(v["labels"]), np.array(v["frames"])[:, 0] == 1
    other = labels[~events].mean()
    best = (events.sum() + max(other, 1 - other) * (~events).sum()) / labels.size
    assert v["acc_frame_only"] == pytest.approx(best) and v["majority"] == (other > 0.5)
    assert 0.5 < v["acc_frame_only"] < 0.55  # about a coin toss
    assert f"{v['acc_frame_only']:.1%}" in ch.printed("00-06")


def test_the_whole_film_as_one_input_is_right_on_every_frame_but_only_at_30_frames(ch):
    v = ch.values
    W = np.array(v["W_film"])
    assert v["acc_whole_film"] == 1.0  # 'It is right on every frame'
    assert W.shape == (30, 60) and v["n_weights_whole_film"] == 1800 and v["n_nonzero_whole_film"] == 465
    assert 45 * 2 != W.shape[1] and 29 * 2 != W.shape[1]  # 'A film of 45 frames does not fit, nor one of 29'
    rows = W[:, 0::2]  # its weights on the event channel: row t has its own weights for every frame position
    assert np.array_equal(rows, np.tril(np.ones((30, 30)))) and not W[:, 1::2].any()
    assert "1800 weights, 465 of them not zero" in ch.printed("00-06b")
    text = ch.source("00-06c")
    for point in ("any length", "one rule shared over time", "a state that summarises the past"):
        assert point in text


def test_four_parameters_with_a_state_label_every_frame_at_any_length(ch):
    v = ch.values
    assert v["n_params_state"] == 4 and v["acc_state"] == 1.0  # 'can be right on every frame'
    assert sorted(int(k) for k in v["acc_state_by_length"]) == [12, 45, 300]
    assert all(a == 1.0 for a in v["acc_state_by_length"].values())  # 'in films of any length'
    assert "These four numbers are the whole model" in ch.source("00-07")


def test_the_plot_of_one_film(ch):
    """The title: 'the state remembers the event, a frame-by-frame model cannot'."""
    v = ch.values
    h, labels = np.array(v["states"][0]), np.array(v["labels0"])
    opened = np.flatnonzero(labels)[0]
    assert (h[:opened] < 0).all() and (h[opened:] > 0).all()  # the state says no, then yes, and stays
    frame_answers = np.where(np.array(v["frames0"])[:, 0] == 1, 1.0, float(v["majority"]))
    assert (frame_answers != labels).any()  # the frame-by-frame answer is wrong somewhere in this film


def test_the_plot_has_a_y_label_and_its_legend_beside_the_data(ch):
    """Re-draw cell 00-09 with the run's values: a y-label, and the legend outside the axes."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from lstm_helpers import tr
    scope = {"np": np, "plt": plt, "tr": tr, **{k: ch.values[k] for k in ("films", "states", "majority")}}
    scope["films"] = [(np.array(f), np.array(y)) for f, y in scope["films"]]
    exec(ch.cell("00-09").source, scope)
    fig, ax = scope["fig"], scope["ax"]
    fig.canvas.draw()
    assert ax.get_ylabel() and ax.get_xlabel() == "frame t"
    legend = fig.legends[0].get_window_extent()
    assert not legend.overlaps(ax.get_window_extent()), "the legend covers the axes"
    plt.close(fig)


def test_the_history_names_mikolov_2010_a_word_level_plain_rnn(ch):
    assert "Mikolov et al. 2010: a plain RNN, not an LSTM, that predicts the next word" in ch.source("00-10")


def test_the_shapes_table_and_the_drawing_agree_on_ctc(ch):
    """Speech recognition is cited as CTC (one output per frame, merged): the drawing has that panel and its
    letters merge to the word the table gives."""
    text = ch.source("00-11")
    row = [line for line in ch.cell("00-11").source.splitlines() if "speech recognition" in line][0]
    assert row.startswith("| many-to-many, unaligned |") and "CTC" in row
    letters = " ".join(next(s[5] for s in diagrams.SEQUENCE_SHAPES if s[5]))
    assert f"({letters} → {diagrams.CTC_MERGED})" in text
    alt = diagrams.ALT_TEXT["sequence_shapes"]
    assert "read all, then write" in alt and "CTC" in alt


def test_the_figure_the_table_and_the_exercise_use_the_same_five_shapes(ch):
    """The drawing's panels, the table's rows and the exercise's answers name the same five shapes; the exercise
    asks about applications the table does not list, so no cell above answers it."""
    five = {ch00._norm(s) for s in ch00.SHAPES}
    assert len(five) == 5
    drawn = {ch00._norm(caption.split(":")[0].split(", CTC")[0]) for _, caption, *_ in diagrams.SEQUENCE_SHAPES}
    assert drawn == five
    alt = diagrams.ALT_TEXT["sequence_shapes"]
    assert all(ch00._norm(s) in ch00._norm(alt) for s in ch00.SHAPES)
    rows = [line.split("|")[1] for line in ch.cell("00-11").source.splitlines() if line.startswith("| ")]
    assert {ch00._norm(r) for r in rows[1:]} == five  # the header row first
    scope = {}
    exec(exercises.model_answer("sequence_shapes"), scope)
    assert {ch00._norm(v) for v in scope["answer"].values()} == five  # every shape is asked for at least once
    table = ch00._norm(ch.source("00-11"))
    for application in scope["answer"]:
        assert ch00._norm(application) not in table, application
        assert f"*{application}*" in ch.source("00-15")  # each one explained in the exercise
    assert all(f'"{application}": ...' in ch.cell("00-16").source for application in scope["answer"])


def test_the_course_table_promises_what_chapter_01_does(ch):
    """'run it through a sequence by hand, step by step, and watch a stepper do the same'."""
    assert "run it through a sequence by hand" in ch.source("00-12")
    text = ch.source("00-12")
    assert text.count("(") == text.count(")")  # no stray parenthesis
    nb01 = (ROOT / "notebooks" / "01_rnn_structure.ipynb").read_text(encoding="utf-8")
    assert re.search(r"for t in range\(1, T \+ 1\):.*?rnn\.step\(", nb01, re.S)
    assert "widgets.SequenceStepper(" in nb01


def test_the_prediction_exercise_accepts_what_the_next_cell_computes(ch):
    assert ch.values["state_size"] == 1 and exercises.check("predict_state_size", ch.values["state_size"])


def test_the_questions_students_ask_quote_the_run(ch):
    v = ch.values
    text = ch.source("00-qa")
    frames0 = np.array(v["films"][0][0])
    assert frames0.shape == (30, 2) and len(v["films"]) == 500
    assert "Each film of section 1 is (30, 2): 30 time steps (frames) of 2 features" in text
    assert "(500, 30, 2)" in text and "films of shape (30, 2) (T, D)" in ch.printed("00-qa0")
    # 'The state model of section 1 has 4 parameters whether the film has 12, 45 or 300 frames'
    assert v["n_params_state"] == 4 and sorted(int(k) for k in v["acc_state_by_length"]) == [12, 45, 300]
    assert "has 4 parameters whether the film has 12, 45 or 300 frames" in text
    assert "the same 4 parameters labelled films of 12, 45 and 300 frames" in text
    assert all(a == 1.0 for a in v["acc_state_by_length"].values())
    # 'keeps the door's event to the last frame of films 300 frames long'
    assert v["acc_state_by_length"]["300"] == 1.0 and "films 300 frames long" in text
    # the window: its share of frames out of view, as printed and as written
    window, share = v["window"], v["out_of_view"]
    films = [np.array(f) for f, _ in v["films"]]
    since = np.concatenate([np.arange(30) - int(np.flatnonzero(f[:, 0])[0]) for f in films])
    assert share == pytest.approx(np.mean(since[since >= 0] >= window))
    assert window == 10 and f"{share:.0%}" in ch.printed("00-qa0")
    assert f"{round(100 * share)} % of the frames after the door opened are 10 or more frames after" in text
    # a frame out of the window's view looks like one before the door opened: such frames exist
    assert np.any((since < 0) & (np.tile(np.arange(30), len(films)) >= window - 1))
