"""The machinery every checker shares: cases, calling an answer safely, comparing what it returns.

A checker is a function of the student's answer that returns quietly when the answer is right
and raises ``Wrong`` (with a message for the student) or ``NotAttempted`` otherwise. It runs the
answer through ``Answer``, which turns everything the answer can do (a wrong signature, an
exception, returning None, calling the package's own cell) into one of those two, and judges
what comes back with ``compare``, which explains a difference without showing the expected
numbers: the shape, NaN, values outside the range the math allows, a recognised slip (given
as a list of (value, explanation) pairs), or, failing all that, how many entries differ.

``cases`` draws the shapes: several per check, with B, D, H and H + D all different (so
that a transposed or swapped array shows in its shape) and one random generator per case.
"""
import ast
import contextvars
import dis
import inspect
import textwrap
import warnings
from contextlib import contextmanager
from typing import Callable, NamedTuple

import numpy as np

from . import guard
from ..i18n import table, tr


def text(s):
    """An exercise's text (its hint, what it returns): the table's entry in the current language when ``s`` is
    a key of lstm_helpers/texts, else ``s`` itself."""
    return tr(s) if s in table() else s


class Wrong(Exception):
    """The answer is wrong; the message says what differs, for the student."""


class NotAttempted(Exception):
    """The answer is still the template (or raises NotImplementedError)."""


class Exercise(NamedTuple):
    """One exercise: its checker and hint, and how the notebook calls the answer. (Its model answer is in the
    instructor's package, lstm_course_instructor, not here.)"""
    checker: Callable  # checker(answer) -> None; raises Wrong or NotAttempted
    hint: str
    call: str = ""          # the template's signature, e.g. "rnn_step(W, b, x_t, h_prev)"; "" for a dict answer
    returns: str = ""       # what the answer gives back, e.g. "h_t, an array of shape (B, H)"
    guarded: tuple = ()     # the package's functions the answer must not call, e.g. ("rnn.step",)


# --- the cases ---

class Case(NamedTuple):
    """One set of sizes with its own random generator."""
    B: int
    D: int
    H: int
    rng: np.random.Generator
    label: str  # "for B=4, D=3, H=2", for the messages


_DRAW = contextvars.ContextVar("lstm_helpers_exercise_draw", default=None)


@contextmanager
def fresh_draw(draw):
    """Inside, every checker draws new cases: other sizes and numbers, seeded from ``draw`` (an int).

    The self-check uses the cases every student sees; a grader's hidden cases are the same checks under
    draws the students never see (lstm_course_instructor.grading).
    """
    token = _DRAW.set(int(draw))
    try:
        yield
    finally:
        _DRAW.reset(token)


def case_rng(seed):
    """``np.random.default_rng(seed)``; inside ``fresh_draw(d)``, a generator seeded from ``seed`` and ``d``."""
    draw = _DRAW.get()
    if draw is None:
        return np.random.default_rng(seed)
    return np.random.default_rng([*np.atleast_1d(seed).tolist(), 1_000_003, draw])


def cases(seed, n_random=3, edges=((1, 1, 3), (5, 3, 1))):
    """``n_random`` random (B, D, H) with B, D, H and H + D all different, then the ``edges``.

    Each case has its own generator, seeded from ``seed`` and its number, so that no two cases
    share shapes or numbers. The defaults end with one example (B = 1, D = 1) and one unit (H = 1).
    """
    pick = case_rng(seed)
    sizes = []
    while len(sizes) < n_random:
        B, D, H = (int(v) for v in (pick.integers(2, 7), pick.integers(1, 6), pick.integers(2, 6)))
        if len({B, D, H, H + D}) == 4 and (B, D, H) not in sizes:
            sizes.append((B, D, H))
    sizes += list(edges)
    return [Case(B, D, H, case_rng([seed, k]), tr("exercises.case_label", B=B, D=D, H=H))
            for k, (B, D, H) in enumerate(sizes)]


# --- describing what came back ---

def describe(obj):
    """A short description of any object, for messages: 'a str', 'an array of shape (3, 4)', ..."""
    if obj is None:
        return "None"
    if obj is Ellipsis:
        return "`...`"
    if isinstance(obj, np.ndarray):
        return tr("exercises.describe_array", shape=obj.shape, dtype=obj.dtype)
    if isinstance(obj, (list, tuple)):
        many = "many" if len(obj) != 1 else "one"
        return tr(f"exercises.describe_sequence_{many}", kind=type(obj).__name__, n=len(obj))
    if isinstance(obj, str):
        shown = obj if len(obj) <= 30 else obj[:27] + "..."
        return tr("exercises.describe_str", text=repr(shown))
    if isinstance(obj, dict):
        return tr("exercises.describe_dict", keys=sorted(map(str, obj)))
    if isinstance(obj, (bool, int, float, complex, np.generic)):
        kind = type(obj).__name__
        article = "an" if kind[0] in "aeiou" else "a"
        return tr(f"exercises.describe_number_{article}", kind=kind, value=repr(obj))
    if callable(obj):
        return tr("exercises.describe_function")
    return tr("exercises.describe_other", kind=type(obj).__name__)


def shape_of(obj):
    """np.shape(obj), or None when numpy cannot read obj at all."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return np.shape(obj)
    except Exception:
        return None


def _shape_text(shape, letters=None):
    return f"{letters} = {tuple(shape)}" if letters else f"{tuple(shape)}"


def as_array(out, what, shape, letters=None):
    """``out`` as a float array of ``shape``; Wrong when it is None, not numbers, or shaped otherwise."""
    expected = tr("exercises.an_array_of_shape", shape=_shape_text(shape, letters))
    if out is None:
        raise Wrong(tr("exercises.is_none", what=what, expected=expected))
    if isinstance(out, (str, bytes, dict)) or callable(out):
        raise Wrong(tr("exercises.should_be", what=what, expected=expected, got=describe(out)))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            arr = np.asarray(out)
    except Exception:  # ragged lists and objects numpy cannot read
        raise Wrong(tr("exercises.not_numbers", what=what, expected=expected, got=describe(out))) from None
    if arr.dtype.kind == "c":
        raise Wrong(tr("exercises.complex", what=what, dtype=arr.dtype, expected=expected))
    if arr.dtype.kind not in "biuf":
        dtype = "" if isinstance(out, np.ndarray) else tr("exercises.of_dtype", dtype=arr.dtype)
        raise Wrong(tr("exercises.should_be_numbers", what=what, expected=expected, got=describe(out), dtype=dtype))
    if arr.shape != tuple(shape):
        note = ""
        if arr.ndim == 2 and arr.shape == tuple(shape)[::-1]:
            note = tr("exercises.note_transposed")
        elif arr.size == int(np.prod(shape)) and arr.size:
            note = tr("exercises.note_rearranged")
        raise Wrong(tr("exercises.wrong_shape", what=what, shape=arr.shape, note=note,
                       want=_shape_text(shape, letters)))
    return arr


def close(out, want):
    """Equal up to rounding: float64 tightly, float32 as loosely as its precision needs."""
    out = np.asarray(out)
    if out.dtype == np.float32:
        rtol, atol = 1e-5, 1e-6
    else:
        rtol, atol = 1e-6, 1e-9
    with np.errstate(all="ignore"):
        return bool(np.allclose(np.asarray(out, dtype=float), np.asarray(want, dtype=float), rtol=rtol, atol=atol))


def compare(out, want, what, slips=(), within=None, letters=None, explain=None):
    """Return quietly when ``out`` equals ``want``; otherwise raise Wrong saying how it differs.

    Parameters
    ----------
    out : the answer's value (anything)
    want : ndarray, the right value (never shown)
    what : str, the name used in the message, e.g. "h_t (for B=4, D=3, H=2)"
    slips : list of (value, explanation): when ``out`` equals a value, its explanation is the message
    within : (lo, hi, why), optional: the range the math allows, e.g. (0, 1, "a gate's range")
    letters : str, optional: the shape in letters, e.g. "(B, H)"
    explain : callable, optional: called when nothing else explains the difference; returns a
        sentence (or None) that narrows it down, e.g. by rerunning the answer on simpler inputs
    """
    want = np.asarray(want)
    arr = as_array(out, what, want.shape, letters)
    with np.errstate(all="ignore"):
        if not np.all(np.isfinite(arr)):
            raise Wrong(tr("exercises.not_finite", what=what))
        if arr.dtype == np.float16:
            raise Wrong(tr("exercises.float16", what=what))
        if close(arr, want):
            return
        for value, explanation in slips:
            if value is not None and np.shape(value) == arr.shape and close(arr, value):
                raise Wrong(tr("exercises.slip", what=what, explanation=explanation))
        if within is not None:
            lo, hi, why = within
            if arr.min() < lo - 1e-12 or arr.max() > hi + 1e-12:
                raise Wrong(tr("exercises.out_of_range", what=what, lo=lo, hi=hi, why=why, low=arr.min(),
                               high=arr.max()))
        wrong = ~np.isclose(arr.astype(float), want.astype(float), rtol=1e-6, atol=1e-9)
        message = tr("exercises.wrong_values", what=what, n=int(wrong.sum()), size=wrong.size,
                     diff=np.max(np.abs(arr - want)))
    if arr.dtype.kind in "biu" and not np.all(want == np.round(want)):
        raise Wrong(tr("exercises.fractions_lost", message=message, dtype=arr.dtype))
    more = explain() if explain is not None else None
    raise Wrong(tr("exercises.narrowed", message=message, more=more) if more else message)


def as_pair(out, names):
    """``out`` as a pair (a tuple or list of two); Wrong otherwise. ``names`` is e.g. "(h_t, c_t)"."""
    if isinstance(out, (tuple, list)) and len(out) == 2:
        return out
    raise Wrong(tr("exercises.not_a_pair", names=names, got=describe(out)))


def as_whole_number(out, what):
    """``out`` as a Python int; Wrong when it is not a whole number."""
    if isinstance(out, (bool, np.bool_)) or out is None or isinstance(out, (str, bytes)):
        raise Wrong(tr("exercises.not_whole", what=what, got=describe(out)))
    try:
        value = np.asarray(out)
        if value.size != 1 or value.dtype.kind not in "iuf":
            raise TypeError
        value = value.item()
    except Exception:
        raise Wrong(tr("exercises.not_whole", what=what, got=describe(out))) from None
    if not np.isfinite(value) or value != round(value):
        raise Wrong(tr("exercises.not_whole_value", what=what, value=value))
    return int(round(value))


# --- calling the answer ---

class Probe(NamedTuple):
    """Another way to call an answer that raised: if it runs this way, ``explanation`` names the slip."""
    args: tuple
    explanation: str
    accepts: Callable  # accepts(out) -> bool: did this way of calling give a sensible result?


def _parameter_names(call):
    """["W", "b", "x_t", "h_prev"] from "rnn_step(W, b, x_t, h_prev)"."""
    inside = call[call.index("(") + 1:call.rindex(")")]
    return [p.strip() for p in inside.split(",") if p.strip()]


def _given(call, args):
    """What the exercise passed, for messages: "W (3, 7), b (3,), x_t (4, 4), h_prev (4, 3)"."""
    parts = []
    for name, a in zip(_parameter_names(call), args):
        if isinstance(a, np.ndarray):
            parts.append(f"{name} {a.shape}")
        elif isinstance(a, dict):
            inner = ", ".join(f"{k} {np.shape(v)}" for k, v in list(a.items())[:2])
            parts.append(tr("exercises.given_dict", name=name, inner=inner))
        else:
            parts.append(f"{name} = {a!r}")
    return ", ".join(parts)


def fresh(args):
    """Copies of the arguments (arrays, dicts and lists of arrays), so an answer that writes into its
    inputs cannot change the checker's."""
    def copy(a):
        if isinstance(a, np.ndarray):
            return a.copy()
        if isinstance(a, dict):
            return {k: copy(v) for k, v in a.items()}
        if isinstance(a, list):
            return [copy(v) for v in a]
        return a
    return tuple(copy(a) for a in args)


def _short(exc):
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    text = text if len(text) <= 200 else text[:197] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class Failure(NamedTuple):
    """Why calling an answer gave nothing: the full message and a short form (for a probe's message)."""
    message: str
    short: str


class Answer:
    """The student's function, called so that whatever it does becomes Wrong or NotAttempted.

    ``answer(*args)`` returns what the function returns. It raises Wrong when the function cannot
    be called with the exercise's arguments, raises, returns None, or calls one of the package's
    functions the exercise rebuilds; NotAttempted when it raises NotImplementedError.
    """

    def __init__(self, fn, exercise):
        self.fn = fn
        self.exercise = exercise

    def _run(self, args):
        """(out, None) or (None, Failure); NotAttempted passes through."""
        itself = guard.which(self.fn, self.exercise.guarded)
        if itself is not None:  # the answer is the package's function, passed as it is
            return None, Failure(guard.reason(itself), guard.reason(itself))
        try:
            signature = inspect.signature(self.fn)
        except (TypeError, ValueError):  # builtins and ufuncs: just call them
            signature = None
        if signature is not None:
            try:
                signature.bind(*args)
            except TypeError:
                name = getattr(self.fn, "__name__", None) or tr("exercises.your_function")
                many = "many" if len(args) != 1 else "one"
                message = tr(f"exercises.signature_{many}", call=self.exercise.call, n=len(args), name=name,
                             signature=signature)
                return None, Failure(message, message)
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")  # overflow in a hand-written sigmoid and the like: judged by the values
            try:
                with guard.forbid(self.fn, self.exercise.guarded) as calls:
                    out = self.fn(*fresh(args))
            except guard.PackageCalled as exc:
                return None, Failure(guard.reason(exc.name), guard.reason(exc.name))
            except NotImplementedError:
                raise NotAttempted(tr("exercises.not_implemented")) from None
            except KeyboardInterrupt:
                raise
            except BaseException as exc:  # SystemExit and RecursionError included: the check must go on
                short = tr("exercises.raises_short", error=_short(exc))
                return None, Failure(tr("exercises.raised", error=_short(exc),
                                        given=_given(self.exercise.call, args),
                                        returns=text(self.exercise.returns)), short)
        if calls:  # the answer caught PackageCalled itself
            return None, Failure(guard.reason(calls[0]), guard.reason(calls[0]))
        return out, None

    def __call__(self, *args, probes=()):
        out, failure = self._run(args)
        if failure is not None:
            for probe in probes:  # a slip that makes numpy raise (a transposed W, ...) is named, not just the error
                other, trouble = self._run(probe.args)
                if trouble is None:
                    try:
                        ok = bool(probe.accepts(other))
                    except Exception:
                        ok = False
                    if ok:
                        raise Wrong(tr("exercises.probe", explanation=text(probe.explanation),
                                       short=failure.short))
            raise Wrong(failure.message)
        if out is None:
            raise Wrong(self._returned_none())
        return out

    def quietly(self, *args):
        """What the answer returns for ``args``, or None if it fails in any way (for narrowing down)."""
        try:
            out, failure = self._run(args)
        except NotAttempted:
            return None
        return out if failure is None else None

    def _returned_none(self):
        returns = has_return(self.fn)
        want = text(self.exercise.returns)
        if returns is False:
            return tr("exercises.no_return", returns=want)
        if returns is True:
            return tr("exercises.returned_none", returns=want)
        return tr("exercises.returned_none_maybe", returns=want)


# --- reading the answer's source ---

def _function_node(fn):
    """The ast node of ``fn``'s definition, or None when its source cannot be read."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError, IndentationError):
        return None
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == getattr(fn, "__name__", None):
            return node
    return None


def _empty_statement(node):
    """`...`, `pass`, a docstring or `raise NotImplementedError`: what a template's body holds."""
    if isinstance(node, ast.Pass):
        return True
    if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and (
            node.value.value is Ellipsis or isinstance(node.value.value, str)):
        return True
    return isinstance(node, ast.Raise) and "NotImplementedError" in ast.unparse(node)


def _does_nothing(code):
    """Whether compiled code only returns None (what `...`, `pass` or a docstring compile to)."""
    ops = [(i.opname, i.argval) for i in dis.get_instructions(code) if i.opname not in ("RESUME", "NOP", "CACHE")]
    return ops in ([("LOAD_CONST", None), ("RETURN_VALUE", None)], [("RETURN_CONST", None)])


def is_template(fn):
    """Whether ``fn`` is still the chapter's template: a body of only `...`, `pass` or `raise NotImplementedError`.

    Lambdas never are. Without the source (a function made by exec), a body that compiles to
    the same code as `...` counts as the template.
    """
    if not inspect.isfunction(fn) or fn.__name__ == "<lambda>":
        return False
    node = _function_node(fn)
    if node is not None:
        return all(_empty_statement(n) for n in node.body)
    return _does_nothing(fn.__code__)


def has_return(fn):
    """True when ``fn``'s own body has a `return <value>`, False when it has none, None when unknown."""
    if not inspect.isfunction(fn) or fn.__name__ == "<lambda>":
        return None
    node = _function_node(fn)
    if node is None:
        return None

    def walk(n):  # returns of nested functions do not count
        for child in ast.iter_child_nodes(n):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
                continue
            if isinstance(child, ast.Return) and child.value is not None:
                return True
            if walk(child):
                return True
        return False
    return walk(node)
