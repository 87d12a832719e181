"""Chapter 00 (why sequences need memory): name the shapes of sequence tasks; keep a state.

sequence_shapes  a dict: application -> one of the five shapes, for applications the chapter's table
                 does not list. A wrong answer learns how many are wrong, never which, so that it
                 cannot be found by trying one change per run.
door_open        a state set by +1 (the door opens) and reset by -1 (it closes), carried over a film.
"""
import hashlib
import re

import numpy as np

from .checking import Exercise, NotAttempted, Wrong, case_rng, compare, describe
from . import predict
from ..i18n import table, tr

SHAPES = ("one-to-one", "one-to-many", "many-to-one", "many-to-many (unaligned)", "many-to-many (aligned)")
# The applications, and each one's shape as a digest (_digest): the self-check can tell right from wrong
# without the student package holding the answer key in words. (The key is in the instructor's package.)
KEY = {"part-of-speech tagging": "adf0cda89d36dfce",
       "summarising a news article": "715fd4fd189aaabc",
       "the genre of a song": "601e0b436806ac44",
       "a melody from one mood": "9242e06126ce09be",
       "the price of a house": "e7d7f808994aaa29",
       "text-to-speech": "0698ad9084911f0e",
       "tomorrow's temperature": "c4b7dffd6b9c43c3",
       "an abnormal heartbeat, second by second": "23133a17c33d8be8"}


def _digest(app, shape):
    return hashlib.sha256(f"lstm-step-by-step/sequence_shapes/{app}/{_norm(shape)}".encode()).hexdigest()[:16]


def _count():
    """How many applications, as the messages say it: "eight" in English."""
    key = f"ex00.number_{len(KEY)}"
    return tr(key) if key in table() else str(len(KEY))


def _norm(text):
    """"Many-to-many, unaligned" and "many to many (unaligned)" read the same."""
    return re.sub(r"[^a-z]+", " ", text.lower()).strip()


def _unanswered(value):
    return value is Ellipsis or value is None


def check_sequence_shapes(answer):
    if not isinstance(answer, dict):
        raise Wrong(tr("ex00.shapes_not_a_dict", count=_count(), got=describe(answer)))
    if answer and set(answer) <= set(KEY) and all(_unanswered(v) for v in answer.values()):
        raise NotAttempted(tr("ex00.shapes_not_attempted"))
    extra = sorted(map(str, set(answer) - set(KEY)))
    if extra:
        raise Wrong(tr("ex00.shapes_extra_keys", count=_count(), extra=extra))
    missing = [k for k in KEY if k not in answer]
    if missing:
        raise Wrong(tr("ex00.shapes_missing", missing=missing))
    open_ = [k for k in KEY if _unanswered(answer[k])]
    if open_:
        raise Wrong(tr("ex00.shapes_open", open=open_))
    not_text = [k for k in KEY if not isinstance(answer[k], str)]
    if not_text:
        raise Wrong(tr("ex00.shapes_not_text", shapes=list(SHAPES), app=repr(not_text[0]),
                       got=describe(answer[not_text[0]])))
    options = {_norm(s) for s in SHAPES}
    vague = [k for k in KEY if _norm(answer[k]) == "many to many"]
    if vague:
        raise Wrong(tr("ex00.shapes_vague", vague=vague))
    unknown = [k for k in KEY if _norm(answer[k]) not in options]
    if unknown:
        raise Wrong(tr("ex00.shapes_unknown", unknown=unknown, shapes=list(SHAPES)))
    wrong = sum(_digest(k, answer[k]) != KEY[k] for k in KEY)
    if wrong:
        raise Wrong(tr("ex00.shapes_wrong_one" if wrong == 1 else "ex00.shapes_wrong_many", wrong=wrong,
                       n=len(KEY)))


def _door(events):
    """1 where the latest nonzero event at or before t is +1, else 0 (the door starts closed)."""
    events = np.asarray(events)
    latest = np.maximum.accumulate(np.where(events != 0, np.arange(len(events)), -1))  # -1: no event yet
    return np.where(latest >= 0, events[latest] == 1, False).astype(int)


def _films():
    """Event channels: one in which every slip shows (two opens in a row, then two closes, the second on a
    closed door), random films with several opens and closes, events in the first and the last frame,
    a close before anything opened, none at all, a single frame."""
    first = np.array([0, 1, 0, 1, 0, 0, -1, 0, -1, 0, 1, 0, 0, 0])
    rng = case_rng(5)
    random = []
    for T in (25, 31, 40):
        events = np.zeros(T, dtype=int)
        at = rng.choice(T, size=T // 4, replace=False)
        events[at] = rng.choice([-1, 1], size=at.size)
        random.append(events)
    return [first, *random, np.array([1, 0, 0, 0, -1]), np.array([-1, 0, 1, 1, 0, 0, 1]),
            np.array([0, 0, -1, -1, 0]), np.zeros(6, dtype=int), np.array([1]), np.array([-1]), np.array([0])]


def check_door_open(answer):
    for events in _films():
        T = len(events)
        out = answer(events.copy())
        want = _door(events)
        slips = [
            (events, tr("ex00.door_events")),
            (np.cumsum(events), tr("ex00.door_sum")),
            (np.clip(np.cumsum(events), 0, 1), tr("ex00.door_clipped_sum")),
            (np.maximum.accumulate(events > 0).astype(int), tr("ex00.door_never_closes")),
            (np.cumsum(events != 0) % 2, tr("ex00.door_flips")),
            (np.concatenate([[0], want[:-1]]), tr("ex00.door_late")),
            (np.concatenate([want[1:], want[-1:]]), tr("ex00.door_early")),
            (2 * want - 1, tr("ex00.door_minus_one")),
            (1 - want, tr("ex00.door_inverted")),
        ]
        compare(out, want, tr("ex00.door_what", T=T), slips, letters="(T,)",
                within=(0, 1, tr("ex00.door_range")))


def check_predict_state_size(answer):
    predict.number(answer, 1, tr("ex00.state_size_what"), rel=0, slips=[
        (300, tr("ex00.state_size_grows")),
        (600, tr("ex00.state_size_everything")),
        (2, tr("ex00.state_size_frame")),
        (301, tr("ex00.state_size_grows"))])

EXERCISES = {
    "sequence_shapes": Exercise(
        check_sequence_shapes,
        "ex00.sequence_shapes_hint",
        returns="ex00.sequence_shapes_returns"),
    "door_open": Exercise(
        check_door_open,
        "ex00.door_open_hint",
        call="door_open(events)",
        returns="ex00.door_open_returns"),
    "predict_state_size": Exercise(
        check_predict_state_size,
        "ex00.predict_state_size_hint",
        returns="exercises.returns_prediction"),
}
