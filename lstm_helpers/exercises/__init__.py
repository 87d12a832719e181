"""Self-checking exercises: check(name, answer), hint(name), solution(name).

An answer is usually a function the student writes; ``check`` runs it on several cases (random
shapes with B, D, H all different, nonzero biases, edge cases such as B = 1 or H = 1) against
the package's own math, with the package's own cells switched off (an answer that calls
``lstm.step`` to write an LSTM step is not correct), and reports one of:

  not attempted   the template as given: a body of `...`, `pass` or `raise NotImplementedError`
  wrong           what differs: the shape, an exception, a missing `return`, or a recognised slip
                  (weights transposed, [x, h] instead of [h, x], sigmoid where tanh belongs, ...),
                  without printing the expected numbers
  correct

``check`` never raises: whatever the answer is or does becomes a Result (truthy when correct)
that shows its message when displayed.

Layout: ``checking`` holds the machinery (cases, calling an answer, comparing), ``guard`` switches
the package's cells off, ``slips`` computes the common wrong answers, ``diagnose`` says where an
answer goes wrong when no slip matches; ``ch00`` ... ``ch10`` hold each chapter's checkers,
hints and solutions.
"""
import html
from dataclasses import dataclass

from . import ch00, ch01, ch02, ch03, ch04, ch05, ch06, ch07, ch08, ch09, ch10
from .checking import Answer, NotAttempted, Wrong, describe, is_template, text
from ..i18n import tr

# name -> Exercise(checker, hint, solution, call, returns, guarded), in the order of the chapters
EXERCISES = {**ch00.EXERCISES, **ch01.EXERCISES, **ch02.EXERCISES, **ch03.EXERCISES, **ch04.EXERCISES,
             **ch05.EXERCISES, **ch06.EXERCISES, **ch07.EXERCISES, **ch08.EXERCISES, **ch09.EXERCISES,
             **ch10.EXERCISES}

_MARK = {"correct": "✅", "wrong": "❌", "not attempted": "✏️"}
_COLOR = {"correct": "#1b7837", "wrong": "#b2182b", "not attempted": "#4d4d4d"}


@dataclass
class Result:
    """The outcome of a check: status is "correct", "wrong" or "not attempted"."""
    name: str
    status: str
    message: str

    def __bool__(self):
        return self.status == "correct"

    def __repr__(self):
        return str(self)

    def __str__(self):
        return f"{_MARK[self.status]} {self.name}: {self.message}"

    def _repr_html_(self):
        return f"<div style='color:{_COLOR[self.status]};font-weight:bold'>{html.escape(str(self))}</div>"


def _hint_call(name):
    """'exercises.hint("name") gives a hint', in the current language."""
    return tr("exercises.hint_call", call=f'exercises.hint("{name}")')


def _expected(exercise):
    if exercise.call:
        return tr("exercises.expects_function", call=exercise.call, returns=text(exercise.returns))
    return text(exercise.returns)


def _judge(name, exercise, answer):
    """The Result for ``answer``; may raise only from a bug in a checker (``check`` catches that)."""
    if answer is None or answer is Ellipsis:
        return Result(name, "not attempted", tr("exercises.not_attempted_value", expected=_expected(exercise),
                                                hint=_hint_call(name)))
    if exercise.call:
        if not callable(answer):
            return Result(name, "wrong", tr("exercises.not_callable", expected=_expected(exercise),
                                            got=describe(answer), hint=_hint_call(name)))
        if is_template(answer):
            return Result(name, "not attempted", tr("exercises.not_attempted_template", hint=_hint_call(name)))
        answer = Answer(answer, exercise)
    try:
        exercise.checker(answer)
    except NotAttempted as exc:
        return Result(name, "not attempted", tr("exercises.not_attempted", reason=exc, hint=_hint_call(name)))
    except Wrong as exc:
        return Result(name, "wrong", tr("exercises.wrong", reason=exc, hint=_hint_call(name)))
    # a function is tried on several cases; a prediction is one value
    return Result(name, "correct", tr("exercises.correct_every_case" if exercise.call else "exercises.correct"))


def check(name, answer):
    """Check an answer; returns a Result (truthy when correct) that displays the verdict. Never raises."""
    exercise = EXERCISES.get(name) if isinstance(name, str) else None
    if exercise is None:
        return Result(str(name), "wrong", tr("exercises.no_such_exercise", name=repr(name), names=list(EXERCISES)))
    try:
        return _judge(name, exercise, answer)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # a checker tripped over an answer it did not foresee: still a Result
        return Result(name, "wrong", tr("exercises.checker_confused", error=f"{type(exc).__name__}: {exc}",
                                        expected=_expected(exercise), hint=_hint_call(name)))


def hint(name):
    """Print a hint for the exercise (without the answer)."""
    if not isinstance(name, str) or name not in EXERCISES:
        print(tr("exercises.no_such_exercise", name=repr(name), names=list(EXERCISES)))
        return
    print(f"💡 {text(EXERCISES[name].hint)}")


def model_answer(name):
    """The model answer's text, or None where the instructor's package (lstm_course_instructor) is not
    installed: the student package holds no answers."""
    try:
        from lstm_course_instructor.solutions import SOLUTIONS
    except ImportError:
        return None
    return SOLUTIONS.get(name)


def solution(name):
    """Print the model solution (try first: check tells you what differs), where the answers are installed."""
    if not isinstance(name, str) or name not in EXERCISES:
        print(tr("exercises.no_such_exercise", name=repr(name), names=list(EXERCISES)))
        return
    answer = model_answer(name)
    print(answer if answer is not None else tr("exercises.solution_withheld", hint=_hint_call(name)))


__all__ = ["EXERCISES", "Result", "check", "hint", "model_answer", "solution"]
