"""The front door, exercises.check/hint/solution: every solution passes, the notebooks' templates are
"not attempted", and no answer whatever makes check raise.

The chapters' catalogues of wrong answers are in test_exercises_chNN.py; the machinery
(cases, comparing, the guard, the slips) in test_exercises_common.py. ``assert_wrong`` below is
what the chapter files use.
"""
import ast
import importlib.util
import json
import re
import sys
from pathlib import Path

import numpy as np
import pytest

from lstm_helpers import exercises as ex

ROOT = Path(__file__).resolve().parents[1]


def assert_wrong(name, answer, *fragments):
    """check(name, answer) is "wrong", names the slip (each fragment appears), and points at the hint."""
    r = ex.check(name, answer)
    assert r.status == "wrong", r
    assert f'exercises.hint("{name}")' in r.message, r.message
    for fragment in fragments:
        assert fragment in r.message, r.message
    assert not re.search(r"\d\.\d{5,}", r.message), f"an unrounded number, maybe the expected one: {r.message}"
    return r


def solution_answer(name):
    """The model solution of an exercise, as the object a student would pass."""
    scope = {"np": np}
    exec(ex.model_answer(name), scope)
    if name == "sequence_shapes":
        return scope["answer"]
    if "prediction" in scope:
        return scope["prediction"]
    return next(v for k, v in scope.items() if callable(v) and k != "np")


@pytest.mark.parametrize("name", list(ex.EXERCISES))
def test_every_solution_passes(name):
    r = ex.check(name, solution_answer(name))
    assert r.status == "correct" and bool(r), r


# --- the notebooks' templates ---

def _exercise_cells():
    """(notebook, exercise name, cell source) for every cell that calls exercises.check."""
    found = []
    for path in sorted((ROOT / "notebooks").glob("[0-9]*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            src = "".join(cell["source"])
            if cell["cell_type"] == "code" and "exercises.check(" in src:
                found.append((path.name, re.search(r'exercises\.check\("(\w+)"', src).group(1), src))
    return found


CELLS = _exercise_cells()


def test_every_exercise_has_a_cell_in_a_notebook():
    assert sorted(name for _, name, _ in CELLS) == sorted(ex.EXERCISES)


def template_module(name, src, tmp_path):
    """A notebook's exercise cell as a student left it, run as a module without its last line (so its source
    is there, as in Jupyter); returns the module and that line, the exercises.check(...) call (an ast)."""
    tree = ast.parse(src)
    last = tree.body[-1]
    assert isinstance(last, ast.Expr) and ast.unparse(last.value).startswith("exercises.check(")
    module_src = "import numpy as np\nfrom lstm_helpers import exercises\n" + ast.unparse(ast.Module(tree.body[:-1], []))
    path = tmp_path / f"template_{name}.py"
    path.write_text(module_src, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module  # inspect.getsource finds the source through the module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[path.stem]
    return module, last.value


@pytest.mark.parametrize("notebook,name,src", CELLS, ids=[f"{nb}:{name}" for nb, name, _ in CELLS])
def test_notebook_templates_are_not_attempted(notebook, name, src, tmp_path):
    """Run as a module (the source is there, as in Jupyter) and by exec (no source: the compiled body decides)."""
    module, check = template_module(name, src, tmp_path)
    result = eval(compile(ast.Expression(check), "<cell>", "eval"), vars(module))
    assert result.status == "not attempted", result
    assert f'exercises.hint("{name}")' in result.message or name == "sequence_shapes"

    tree = ast.parse(src)
    scope = {"np": np, "exercises": ex}
    exec(compile(ast.Module(tree.body[:-1], []), "<cell>", "exec"), scope)
    r = eval(compile(ast.Expression(check), "<cell>", "eval"), scope)
    assert r.status == "not attempted", r

def jacobian_template(W, b, x_t, h_prev):
    ...


def jacobian_docstring_only(W, b, x_t, h_prev):
    """Write me."""


def jacobian_raises(W, b, x_t, h_prev):
    raise NotImplementedError


def jacobian_forgets_return(W, b, x_t, h_prev):
    h_t = np.tanh(W @ np.concatenate([h_prev, x_t]) + b)
    J = (1 - h_t ** 2)[:, None] * W[:, :len(h_prev)]  # noqa: F841 (the slip under test)


def jacobian_returns_none(W, b, x_t, h_prev):
    J = None
    return J


def test_a_template_is_not_attempted_but_a_body_without_return_is_wrong():
    for fn in (jacobian_template, jacobian_docstring_only, jacobian_raises):
        r = ex.check("step_jacobian", fn)
        assert r.status == "not attempted" and not r, r
    r = assert_wrong("step_jacobian", jacobian_forgets_return, "no `return`", "(H, H)")
    assert "not attempted" not in r.message
    assert_wrong("step_jacobian", jacobian_returns_none, "returned None", "(H, H)")
    assert_wrong("step_jacobian", lambda W, b, x_t, h_prev: None, "returned None")
    assert ex.check("step_jacobian", None).status == "not attempted"
    assert ex.check("sequence_shapes", None).status == "not attempted"
    assert ex.check("sequence_shapes", {"text-to-speech": ..., "tomorrow's temperature": ...}).status == "not attempted"


# --- check never raises ---

class Hostile:
    """An object that fails at everything numpy or the checker might ask of it."""

    def __array__(self, *args, **kwargs):
        raise RuntimeError("no array here")

    def __len__(self):
        raise RuntimeError("no length")

    def __eq__(self, other):
        raise RuntimeError("no comparison")

    __hash__ = object.__hash__

    def __iter__(self):
        raise RuntimeError("no iteration")


def _generator(*args):
    yield 1


def _exits(*args):
    raise SystemExit(3)


def _recurses(*args):
    return _recurses(*args)


BAD_ANSWERS = {
    "a string": "h_t = tanh(W [h, x] + b)",
    "a number": 42,
    "a list": [1, 2, 3],
    "a dict": {"W": 1},
    "Ellipsis": ...,
    "a class": dict,
    "a numpy ufunc": np.tanh,
    "no arguments": lambda: 0,
    "too many arguments": lambda a, b, c, d, e, f, g, h: 0,
    "returns a string": lambda *a: "h_t",
    "returns a list of strings": lambda *a: ["a", "b"],
    "returns a dict": lambda *a: {"h": 1},
    "returns a list": lambda *a: [1.0, 2.0],
    "returns a ragged list": lambda *a: [[1.0], [2.0, 3.0]],
    "returns an object array": lambda *a: np.array([object(), object()]),
    "returns complex numbers": lambda *a: np.ones((2, 3)) * 1j,
    "returns NaN": lambda *a: np.full((50, 50), np.nan),
    "returns float16": lambda *a: np.zeros((2, 2), dtype=np.float16),
    "returns a pair of strings": lambda *a: ("a", "b"),
    "returns a function": lambda *a: (lambda: 0),
    "returns a hostile object": lambda *a: Hostile(),
    "returns a pair of hostile objects": lambda *a: (Hostile(), Hostile()),
    "returns True": lambda *a: True,
    "returns infinity": lambda *a: float("inf"),
    "a generator": _generator,
    "raises ValueError": lambda *a: np.ones(3) @ np.ones(4),
    "raises KeyError": lambda *a: {}["W_f"],
    "raises SystemExit": _exits,
    "recurses forever": _recurses,
}


@pytest.mark.parametrize("name", list(ex.EXERCISES))
@pytest.mark.parametrize("label", list(BAD_ANSWERS))
def test_check_never_raises_and_says_what_is_expected(name, label):
    r = ex.check(name, BAD_ANSWERS[label])
    assert isinstance(r, ex.Result)
    assert r.status in ("wrong", "not attempted"), r
    if r.status == "wrong":
        assert f'exercises.hint("{name}")' in r.message, r.message
    assert str(r) and r._repr_html_()


def test_the_messages_say_what_was_expected():
    assert_wrong("step_jacobian", "tanh", "step_jacobian(W, b, x_t, h_prev)", "(H, H)", "a str")
    assert_wrong("step_jacobian", lambda *a: "J", "should be an array of shape (H, H)", "a str ('J')")
    assert_wrong("step_jacobian", lambda W: W, "step_jacobian(W, b, x_t, h_prev)", "4 arguments", "<lambda>(W)")
    assert_wrong("cell_state", lambda p, x, h, c: {}["W_f"], "KeyError", "x_t (", "h_prev (", "C_t")
    assert_wrong("clip", lambda g, m: [1], "return a dict", "a list")
    assert_wrong("steps_to_forget", lambda b: "7", "whole number", "a str")
    assert_wrong("step_jacobian", lambda *a: np.ones((2, 3)) * 1j, "complex")


def test_an_unknown_name_is_a_result_too(capsys):
    r = ex.check("nope", lambda: 0)
    assert r.status == "wrong" and "step_jacobian" in r.message
    assert ex.check(["not", "a", "name"], None).status == "wrong"
    ex.hint("nope")
    ex.solution("nope")
    assert capsys.readouterr().out.count("no exercise named") == 2


def test_result_display_hint_and_solution(capsys):
    r = ex.check("apply_gate", lambda v, z: 1 / (1 + np.exp(-z)) * v)
    assert bool(r) and "✅" in str(r) and "#1b7837" in r._repr_html_()
    r = ex.check("apply_gate", lambda v, z: np.tanh(z) * v)
    assert not r and "❌" in str(r) and "#b2182b" in r._repr_html_()
    ex.hint("apply_gate")
    ex.solution("apply_gate")
    out = capsys.readouterr().out
    assert "💡" in out and "def apply_gate" in out


def test_without_the_instructors_package_the_answers_are_withheld(monkeypatch, capsys):
    """A class's install (the student package alone) prints no model answer; hints still work."""
    import sys
    assert set(ex.EXERCISES) == set(__import__("lstm_course_instructor").SOLUTIONS), "an answer for every exercise"
    monkeypatch.setitem(sys.modules, "lstm_course_instructor.solutions", None)  # import fails, as if not installed
    assert ex.model_answer("apply_gate") is None
    ex.solution("apply_gate")
    ex.hint("apply_gate")
    out = capsys.readouterr().out
    assert "not part of this install" in out and 'exercises.hint("apply_gate")' in out and "💡" in out
    assert "def apply_gate" not in out


def test_the_wrong_answers_the_review_found_accepted_are_now_wrong():
    """Each passed when its exercise had a single, too kind case (b = 0; one event per film; H = 4 only).

    seen_so_far and split_W have since become door_open and to_input_first; the same slips stay wrong there.
    """
    def no_bias(W, b, x_t, h_prev):
        H = len(h_prev)
        h = np.tanh(W[:, :H] @ h_prev + W[:, H:] @ x_t)
        return (1 - h ** 2)[:, None] * W[:, :H]
    assert_wrong("step_jacobian", no_bias, "bias b")
    assert_wrong("door_open", lambda events: np.cumsum(events), "adds the events up")
    assert_wrong("to_input_first", lambda W, H: np.concatenate([W[:, 4:], W[:, :4]], axis=1).T, "not H - 1")
