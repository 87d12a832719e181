"""The exercises of chapters 00-05 in Chinese: verdicts, slips, hints and the not-attempted message.

With set_language("zh"), each exercise's model solution and two answers from its catalogue of wrong answers
(tests/test_exercises_chNN.py, tests/test_exercises_predictions.py) give Results whose message is Chinese: it
holds a CJK character and no English sentence (no run of three or more English words of three or more
letters). Code, shapes and numpy's own error text may stay as they are. The verdict is the same in both
languages.

The same holds for the answers whose diagnosis comes from the shared machinery rather than a chapter: the
package's own function called (exercises/guard.py), a slip found by calling the answer another way or the
narrowing down of a difference (exercises/diagnose.py), a prediction too large or too small, of the wrong type or
with the wrong number of axes (exercises/predict.py). Their messages are held to a stricter test: not even two
English words in a row ("not quite"), numpy's own error text aside.
"""
import importlib
import re
from contextlib import redirect_stdout
from io import StringIO

import numpy as np
import pytest
from test_exercises import solution_answer

from lstm_helpers import exercises as ex
from lstm_helpers.exercises import ch00, ch01, ch02, ch03, ch04, ch05
from lstm_helpers.i18n import set_language

CJK = re.compile(r"[\u3400-\u9fff]")
ENGLISH = re.compile(r"\b[A-Za-z]{3,}(?: +[A-Za-z]{3,}){2,}\b")

NAMES = [name for module in (ch00, ch01, ch02, ch03, ch04, ch05) for name in module.EXERCISES]
CATALOGUE = {}
for _module in [f"test_exercises_ch{k:02d}" for k in range(6)] + ["test_exercises_predictions"]:
    for _name, _items in importlib.import_module(_module).CATALOGUE.items():
        CATALOGUE.setdefault(_name, []).extend(_items)

# two wrong answers per exercise, by the label of a catalogue entry (or, for a prediction, its fragment)
PICKS = {
    "sequence_shapes": ("song genre read as aligned", "tagging unaligned"),
    "door_open": ("np.cumsum: counts", "maximum.accumulate of the opens: never closes"),
    "predict_state_size": ("overwritten", "fixed size"),
    "rnn_forward": ("only the last h", "time first"),
    "stacked_rnn_param_count": ("every layer reads D (L times one layer)", "one shared W (L ignored)"),
    "to_input_first": ("W.T without reordering", "reordered, not transposed"),
    "predict_h_shape": ("every step", "batch first"),
    "step_jacobian": ("no bias (the reviewer's)", "no tanh'"),
    "clip": ("each array by its own norm", "always scales"),
    "predict_bound": ("whole number", "still above 0.01"),
    "apply_gate": ("tanh", "no sigmoid"),
    "cell_update": ("f and i swapped", "no forget gate"),
    "predict_conveyor": ("not 1", "compound"),
    "forget_gates": ("[x, h]", "tanh"),
    "steps_to_forget": ("not rounded", "rounded down"),
    "predict_survival": ("one step", "multiply"),
    "written": ("halves swapped", "sigmoid on both"),
    "cell_state": ("[x, h]", "candidate with the sigmoid"),
    "predict_accumulate": ("does not overwrite", "not multiplied"),
}


# wrong answers diagnosed by guard.py, diagnose.py and predict.py, by catalogue label (or prediction fragment)
MACHINERY = {
    "rnn_forward": ("W not transposed", "calls rnn.forward", "loops with rnn.step"),
    "stacked_rnn_param_count": ("calls the package",),
    "step_jacobian": ("calls the package", "calls the package's backward"),
    "clip": ("calls the package", "its norm from the package"),
    "apply_gate": ("calls the package",),
    "cell_update": ("calls the package",),
    "forget_gates": ("W not transposed", "calls the package"),
    "written": ("one example", "calls the package"),
    "cell_state": ("W not transposed", "calls the package", "what is kept scaled", "what is written scaled"),
    "predict_state_size": ("overwritten", "too small", "too large", "one number"),
    "predict_h_shape": ("every step", "3 axes", "tuple of whole numbers"),
    "predict_bound": ("whole number", "too large", "too small", "one number"),
    "predict_conveyor": ("not 1", "too large", "too small"),
    "predict_survival": ("one step", "too large"),
    "predict_accumulate": ("four writes", "too large"),
}


def _sig(z):
    return 1 / (1 + np.exp(-z))


def _gates(h_scale=1.0, x_scale=1.0, b_scale=1.0, mixed=0.0):
    """forget_gates with one part off by a factor, so that only diagnose.narrow_layer can say where."""
    def forget_gates(W_f, b_f, xs, h_prevs):
        H = h_prevs.shape[-1]
        from_h, from_x = h_prevs @ W_f[:, :H].T, xs @ W_f[:, H:].T
        return _sig(h_scale * from_h + x_scale * from_x + b_scale * b_f + mixed * from_h * from_x)
    return forget_gates


def _written_by_columns(W, b, x_t, h_prev):
    """written for inputs as columns, x_t (D, B) and h_prev (H, B): diagnose.COLUMNS_SLIP."""
    z = W @ np.vstack([h_prev, x_t]) + b
    H = len(W) // 2
    return _sig(z[:H]) * np.tanh(z[H:])


# made-up answers for what no catalogue entry reaches: each sentence of narrow_layer, and the columns probe
MADE_UP = {
    "forget_gates: the bias off": ("forget_gates", _gates(b_scale=1.1), "只有偏置 b_f 起作用"),
    "forget_gates: x_t off": ("forget_gates", _gates(x_scale=1.1), "检查 x_t 是怎样进入的"),
    "forget_gates: h_{t-1} off": ("forget_gates", _gates(h_scale=1.1), "检查 h_{t-1} 是怎样进入的"),
    "forget_gates: the parts mixed": ("forget_gates", _gates(mixed=0.1), "两者都给出时却错"),
    "written: inputs as columns": ("written", _written_by_columns, "把输入当成了列"),
}
NUMPY_ERROR = re.compile(r"抛出 [A-Za-z_.]*(?:Error|Exception)[^）]*）")  # the probe's "(as written, it raises ...)"
TWO_WORDS = re.compile(r"\b[A-Za-z]{3,} +[A-Za-z]{3,}\b")


def assert_chinese_throughout(text):
    """Chinese, and not even two English words in a row, numpy's error text aside."""
    text = NUMPY_ERROR.sub("抛出 …）", text)
    assert_chinese(text)
    assert not TWO_WORDS.search(text), f"English words {TWO_WORDS.search(text).group()!r} in {text}"


def _wrong_answer(name, key):
    for label, answer, fragment in CATALOGUE[name]:
        if key in (label, fragment):
            return answer
    raise LookupError(f"{name}: no catalogue entry {key!r}")


CASES = ([(name, "solution") for name in NAMES]
         + [(name, key) for name in NAMES for key in PICKS[name]])


@pytest.fixture
def zh():
    set_language("zh")
    try:
        yield
    finally:
        set_language("en")


def in_both_languages(name, answer):
    """The Results of checking ``answer`` in English, then in Chinese (English restored afterwards)."""
    english = ex.check(name, answer)
    set_language("zh")
    try:
        return english, ex.check(name, answer)
    finally:
        set_language("en")


def assert_chinese(text):
    assert CJK.search(text), text
    assert not ENGLISH.search(text), f"English words {ENGLISH.search(text).group()!r} in {text}"


def test_every_exercise_of_chapters_00_to_05_has_its_picks():
    assert sorted(PICKS) == sorted(NAMES)


@pytest.mark.parametrize("name,key", CASES, ids=[f"{n}:{k}" for n, k in CASES])
def test_the_verdict_is_chinese_and_the_same_in_both_languages(name, key):
    answer = solution_answer(name) if key == "solution" else _wrong_answer(name, key)
    english, chinese = in_both_languages(name, answer)
    assert chinese.status == english.status == ("correct" if key == "solution" else "wrong"), (english, chinese)
    assert_chinese(chinese.message)
    assert ex.check(name, answer).message == english.message  # English again after switching back


def test_the_machinery_picks_are_exercises_of_chapters_00_to_05():
    assert set(MACHINERY) <= set(NAMES)


MACHINERY_CASES = [(name, key) for name in MACHINERY for key in MACHINERY[name]]


@pytest.mark.parametrize("name,key", MACHINERY_CASES, ids=[f"{n}:{k}" for n, k in MACHINERY_CASES])
def test_what_the_shared_machinery_diagnoses_is_chinese(name, key):
    answer = _wrong_answer(name, key)
    english, chinese = in_both_languages(name, answer)
    assert chinese.status == english.status == "wrong", (english, chinese)
    assert_chinese_throughout(chinese.message)
    assert ex.check(name, answer).message == english.message


@pytest.mark.parametrize("label", list(MADE_UP))
def test_narrowing_down_and_the_columns_probe_are_chinese(label):
    name, answer, phrase = MADE_UP[label]
    english, chinese = in_both_languages(name, answer)
    assert chinese.status == english.status == "wrong", (english, chinese)
    assert phrase in chinese.message, chinese.message
    assert_chinese_throughout(chinese.message)


@pytest.mark.parametrize("name", NAMES)
def test_hints_and_the_not_attempted_message_are_chinese(name, zh):
    out = StringIO()
    with redirect_stdout(out):
        ex.hint(name)
    assert_chinese(out.getvalue())
    r = ex.check(name, ...)
    assert r.status == "not attempted"
    assert_chinese(r.message)


def _template(v, z):
    ...


def _no_return(v, z):
    v * z


SHARED = {"a string": "h_t = tanh(W [h, x] + b)", "too few arguments": lambda v: v, "no return": _no_return,
          "returns a string": lambda v, z: "gated", "returns a ragged list": lambda v, z: [[1.0], [2.0, 3.0]],
          "the wrong shape": lambda v, z: (v * z).T, "returns NaN": lambda v, z: v * float("nan"),
          "raises": lambda v, z: {}["W_f"], "the template": _template, "raises NotImplementedError": lambda v, z: (
              _ for _ in ()).throw(NotImplementedError())}


@pytest.mark.parametrize("label", list(SHARED))
def test_the_shared_messages_are_chinese(label, zh):
    """What checking.py and __init__.py say about any answer: its type, signature, shape, a missing return."""
    r = ex.check("apply_gate", SHARED[label])
    assert r.status in ("wrong", "not attempted"), r
    assert_chinese(r.message.split("KeyError")[0])
    assert 'exercises.hint("apply_gate")' in r.message
