"""Chapter 00 (why sequences need memory): name the shapes of sequence tasks; keep a state.

sequence_shapes  a dict: application -> one of the five shapes. A wrong answer learns how many
                 are wrong, never which, so that it cannot be found by trying one change per run.
seen_so_far      a latch over a film's event channel: 1 from the first event on.
"""
import re

import numpy as np

from .checking import Exercise, NotAttempted, Wrong, compare, describe
from . import predict

SHAPES = ("one-to-one", "one-to-many", "many-to-one", "many-to-many (unaligned)", "many-to-many (aligned)")
RIGHT = {"speech recognition": "many-to-many (unaligned)", "machine translation": "many-to-many (unaligned)",
         "handwriting generation (unconditional)": "one-to-many", "character language model": "many-to-many (aligned)",
         "video frame classification": "many-to-many (aligned)", "image captioning": "one-to-many",
         "sentiment of a review": "many-to-one"}


def _norm(text):
    """"Many-to-many, unaligned" and "many to many (unaligned)" read the same."""
    return re.sub(r"[^a-z]+", " ", text.lower()).strip()


def _unanswered(value):
    return value is Ellipsis or value is None


def check_sequence_shapes(answer):
    if not isinstance(answer, dict):
        raise Wrong(f"answer with a dict that maps each of the seven applications to a shape (a string); "
                    f"yours is {describe(answer)}")
    if answer and set(answer) <= set(RIGHT) and all(_unanswered(v) for v in answer.values()):
        raise NotAttempted("replace each `...` with one of the five shapes, then run the cell again")
    extra = sorted(map(str, set(answer) - set(RIGHT)))
    if extra:
        raise Wrong(f"these keys are not among the seven applications: {extra}; keep the template's keys as "
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


def _films():
    """Event channels: several events (so a count or a toggle shows), an event in the first and in the last
    frame, none, a single frame; the first film has its first event neither first nor last."""
    long = np.zeros(40, dtype=int)
    long[[8, 9, 20, 33]] = 1  # the door opens at frame 9 (index 8), twice in a row, then twice more
    return [np.array([0, 0, 1, 0, 0, 1, 1, 0, 1, 0, 0]), long, np.array([1, 0, 0, 1, 0, 0, 0]),
            np.array([0, 0, 0, 0, 0, 0, 0, 0, 1]), np.zeros(6, dtype=int), np.array([0]), np.array([1])]


def check_seen_so_far(answer):
    for events in _films():
        T = len(events)
        out = answer(events.copy())
        want = np.maximum.accumulate(events)
        slips = [
            (events, "a frame-by-frame answer forgets the event one frame later: keep a state"),
            (np.cumsum(events), "that counts the events: the label says only whether the door has opened (0 or 1), "
                                "however often"),
            (np.cumsum(events) % 2, "a second event must not switch the label back to 0: once open, it stays 1"),
            (np.concatenate([[0], want[:-1]]), "off by one: the frame in which the door opens already counts"),
            (np.concatenate([want[1:], want[-1:]]), "off by one: the label switches one frame early"),
            (np.maximum.accumulate(events[::-1])[::-1], "the label looks back to earlier frames, not ahead"),
            (np.full(T, events.max()), "the label of frame t may use only the frames up to t"),
        ]
        compare(out, want, f"the array of labels for a film of {T} frames", slips, letters="(T,)",
                within=(0, 1, "each label is 0 or 1"))



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
        'answer = {"speech recognition": "many-to-many (unaligned)",\n'
        '          "machine translation": "many-to-many (unaligned)",\n'
        '          "handwriting generation (unconditional)": "one-to-many",\n'
        '          "character language model": "many-to-many (aligned)",\n'
        '          "video frame classification": "many-to-many (aligned)",\n'
        '          "image captioning": "one-to-many",\n'
        '          "sentiment of a review": "many-to-one"}',
        returns="a dict: application -> one of the five shapes (a string)"),
    "seen_so_far": Exercise(
        check_seen_so_far,
        "Carry one number from frame to frame: has the door opened yet? Update it with each frame.",
        "def seen_so_far(events):\n    state, out = 0, []\n    for e in events:\n"
        "        state = max(state, e)\n        out.append(state)\n    return np.array(out)",
        call="seen_so_far(events)",
        returns="an array of 0s and 1s as long as events"),
    "predict_state_size": Exercise(
        check_predict_state_size,
        "h_t has shape (B, H) at every step, whatever t is; here B = 1 film and H = 1 unit.",
        "prediction = 1",
        returns="one number: your prediction"),
}
