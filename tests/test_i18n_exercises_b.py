"""The exercises of chapters 06-10 in Chinese: with set_language("zh"), every exercise's model solution and two of
its catalogue's wrong answers get the same verdict as in English, with a message in Chinese; the hints too.

The chapters' own texts are in lstm_helpers/texts/ex06.toml ... ex10.toml. A message also holds texts of the
shared machinery (exercises/__init__.py, checking.py, slips.py, guard.py, diagnose.py, predict.py, from
texts/exercises.toml and texts/exercises_extra.toml); those are Chinese too, so the whole message is checked:
no English phrase in it, whichever part it comes from.
"""
import importlib
import io
import re
from contextlib import redirect_stdout

import pytest
from test_exercises import solution_answer

from lstm_helpers import exercises as ex, i18n
from lstm_helpers.exercises import ch06, ch07, ch08, ch09, ch10
from lstm_helpers.i18n import set_language

CJK = re.compile(r"[\u3400-\u9fff]")
ENGLISH = re.compile(r"[A-Za-z]{3,}(?:[ \t]+[A-Za-z]{3,}){2,}")   # 3+ words of 3+ letters: an English phrase
MODULES = {ch06: "ex06", ch07: "ex07", ch08: "ex08", ch09: "ex09", ch10: "ex10"}
NAMES = [name for module in MODULES for name in module.EXERCISES]

_CATALOGUE = {}
for _module in [f"test_exercises_ch{k:02d}" for k in range(6, 11)] + ["test_exercises_predictions"]:
    for _name, _items in importlib.import_module(_module).CATALOGUE.items():
        _CATALOGUE.setdefault(_name, []).extend(_items)
CASES = [(name, "solution", None) for name in NAMES] + [
    (name, label, answer) for name in NAMES for label, answer, _ in _CATALOGUE[name][:2]]


def english_phrases(message):
    """The English phrases of ``message``."""
    return ENGLISH.findall(message)


@pytest.fixture
def zh():
    set_language("zh")
    yield
    set_language("en")


def _answer(name, answer):
    return solution_answer(name) if answer is None else answer


@pytest.mark.parametrize("name,label,answer", CASES, ids=[f"{n}:{l}" for n, l, _ in CASES])
def test_the_verdict_is_the_same_and_the_message_chinese(name, label, answer, zh):
    set_language("en")
    english = ex.check(name, _answer(name, answer))
    set_language("zh")
    chinese = ex.check(name, _answer(name, answer))
    assert chinese.status == english.status, (english, chinese)
    assert CJK.search(chinese.message), chinese.message
    assert not english_phrases(chinese.message), (english_phrases(chinese.message), chinese.message)
    if label == "solution":
        assert chinese.status == "correct"
    else:
        assert chinese.status == "wrong"


@pytest.mark.parametrize("name", NAMES)
def test_the_hints_and_what_an_answer_returns_are_chinese(name, zh):
    out = io.StringIO()
    with redirect_stdout(out):
        ex.hint(name)
    for text in (out.getvalue(), i18n.tr(ex.EXERCISES[name].returns)):
        assert CJK.search(text), text
        assert not ENGLISH.findall(text), text


def test_the_chapters_texts_look_up_when_shown():
    """Nothing of ex06-ex10 is read at import: a language set afterwards shows in every message."""
    set_language("zh")
    try:
        r = ex.check("pytorch_lstm_param_count", lambda D, H, L: 4 * (H * (D + H) + 2 * H))
        assert "这只是一层" in r.message, r.message
    finally:
        set_language("en")
    r = ex.check("pytorch_lstm_param_count", lambda D, H, L: 4 * (H * (D + H) + 2 * H))
    assert "that is one layer" in r.message, r.message
