"""Chapter 00 (why sequences need memory): name the shapes of sequence tasks; keep a state.

sequence_shapes  a dict: application -> one of the five shapes, for applications the chapter's table
                 does not list. A wrong answer learns how many are wrong, never which, so that it
                 cannot be found by trying one change per run.
door_open        a state set by +1 (the door opens) and reset by -1 (it closes), carried over a film.
"""
import re

import numpy as np

from .checking import Exercise, NotAttempted, Wrong, compare, describe
from . import predict

SHAPES = ("one-to-one", "one-to-many", "many-to-one", "many-to-many (unaligned)", "many-to-many (aligned)")
RIGHT = {"part-of-speech tagging": "many-to-many (aligned)",
         "summarising a news article": "many-to-many (unaligned)",
         "the genre of a song": "many-to-one",
         "a melody from one mood": "one-to-many",
         "the price of a house": "one-to-one",
         "text-to-speech": "many-to-many (unaligned)",
         "tomorrow's temperature": "many-to-one",
         "an abnormal heartbeat, second by second": "many-to-many (aligned)"}
_COUNT = {7: "seven", 8: "eight", 9: "nine"}.get(len(RIGHT), str(len(RIGHT)))


def _norm(text):
    """"Many-to-many, unaligned" and "many to many (unaligned)" read the same."""
    return re.sub(r"[^a-z]+", " ", text.lower()).strip()


def _unanswered(value):
    return value is Ellipsis or value is None


def check_sequence_shapes(answer):
    if not isinstance(answer, dict):
        raise Wrong(f"answer with a dict that maps each of the {_COUNT} applications to a shape (a string); "
                    f"yours is {describe(answer)}")
    if answer and set(answer) <= set(RIGHT) and all(_unanswered(v) for v in answer.values()):
        raise NotAttempted("replace each `...` with one of the five shapes, then run the cell again")
    extra = sorted(map(str, set(answer) - set(RIGHT)))
    if extra:
        raise Wrong(f"these keys are not among the {_COUNT} applications: {extra}; keep the template's keys as "
                    "they are spelled")
    missing = [k for k in RIGHT if k not in answer]
    if missing:
        raise Wrong(f"these applications have no answer yet: {missing}")
    open_ = [k for k in RIGHT if _unanswered(answer[k])]
    if open_:
        raise Wrong(f"these applications still have `...`: {open_}")
    not_text = [k for k in RIGHT if not isinstance(answer[k], str)]
    if not_text:
        raise Wrong(f"answer each application with a string, one of {list(SHAPES)}; {not_text[0]!r} has "
                    f"{describe(answer[not_text[0]])}")
    options = {_norm(s) for s in SHAPES}
    vague = [k for k in RIGHT if _norm(answer[k]) == "many to many"]
    if vague:
        raise Wrong(f"say which many-to-many: aligned (one output per input, as it comes in) or unaligned (the "
                    f"outputs need not line up with the inputs); this is open for {vague}")
    unknown = [k for k in RIGHT if _norm(answer[k]) not in options]
    if unknown:
        raise Wrong(f"the answers for {unknown} are not spelled as one of the five shapes {list(SHAPES)}")
    wrong = sum(_norm(answer[k]) != _norm(RIGHT[k]) for k in RIGHT)
    if wrong:
        raise Wrong(f"{wrong} of the {len(RIGHT)} answers {'is' if wrong == 1 else 'are'} not right yet (the "
                    "checker does not say which): ask of each application how many inputs come in, how many outputs "
                    "go out, and whether output t belongs to input t")


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
    rng = np.random.default_rng(5)
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
            (events, "that is the events themselves: the door stays open between the frame it opens and the "
                     "frame it closes; keep a state from frame to frame"),
            (np.cumsum(events), "that adds the events up: two opens in a row count 2 and a close on a closed door "
                                "counts -1; the state is only open (1) or closed (0)"),
            (np.clip(np.cumsum(events), 0, 1), "a running sum, even clipped to 0 ... 1, remembers how many opens "
                                               "and closes came; a -1 must close the door whatever came before"),
            (np.maximum.accumulate(events > 0).astype(int), "your door never closes: a -1 must set the state back "
                                                            "to 0"),
            (np.cumsum(events != 0) % 2, "your state flips at every event; an open on an open door leaves it open, "
                                         "and a close on a closed door leaves it closed"),
            (np.concatenate([[0], want[:-1]]), "off by one: the event of frame t already counts for frame t (update "
                                               "the state first, then record it)"),
            (np.concatenate([want[1:], want[-1:]]), "off by one: your state changes one frame early"),
            (2 * want - 1, "closed is 0, not -1"),
            (1 - want, "the other way round: 1 means open"),
        ]
        compare(out, want, f"the array of states for a film of {T} frames", slips, letters="(T,)",
                within=(0, 1, "each state is 0 or 1"))


def check_predict_state_size(answer):
    predict.number(answer, 1, "the number of values in the state after frame 300", rel=0, slips=[
        (300, "the state does not grow with the film: the same H numbers are overwritten at every frame"),
        (600, "that is every number of the film; the state summarises it in a fixed size"),
        (2, "D = 2 is the size of one frame; the state has H numbers"),
        (301, "the state does not grow with the film: the same H numbers are overwritten at every frame")])

EXERCISES = {
    "sequence_shapes": Exercise(
        check_sequence_shapes,
        "Ask of each application: how many inputs come in, how many outputs go out, and does output t belong "
        "to input t?",
        'answer = {"part-of-speech tagging": "many-to-many (aligned)",\n'
        '          "summarising a news article": "many-to-many (unaligned)",\n'
        '          "the genre of a song": "many-to-one",\n'
        '          "a melody from one mood": "one-to-many",\n'
        '          "the price of a house": "one-to-one",\n'
        '          "text-to-speech": "many-to-many (unaligned)",\n'
        '          "tomorrow\'s temperature": "many-to-one",\n'
        '          "an abnormal heartbeat, second by second": "many-to-many (aligned)"}',
        returns="a dict: application -> one of the five shapes (a string)"),
    "door_open": Exercise(
        check_door_open,
        "Carry one number from frame to frame: is the door open (1) or closed (0)? It starts at 0. At each "
        "frame, +1 sets it to 1, -1 sets it to 0, 0 leaves it as it is; then record it.",
        "def door_open(events):\n    state, out = 0, []\n    for e in events:\n"
        "        if e == 1:\n            state = 1      # write\n"
        "        elif e == -1:\n            state = 0      # erase\n"
        "        out.append(state)\n    return np.array(out)",
        call="door_open(events)",
        returns="an array of 0s and 1s as long as events"),
    "predict_state_size": Exercise(
        check_predict_state_size,
        "h_t has shape (B, H) at every step, whatever t is; here B = 1 film and H = 1 unit.",
        "prediction = 1",
        returns="one number: your prediction"),
}
