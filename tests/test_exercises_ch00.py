"""Chapter 00's exercises: sequence_shapes (not brute-forceable) and door_open (a state written and erased)."""
import numpy as np

from test_exercises import solution_answer

from lstm_helpers import exercises as ex
from lstm_helpers.exercises import ch00

RIGHT = solution_answer("sequence_shapes")  # the key in words is the instructor's; the checker has digests


def door(events):
    return ch00._door(events)


def never_closes(events):
    return np.maximum.accumulate(events > 0).astype(int)


def read_before_update(events):
    state, out = 0, []
    for e in events:
        out.append(state)  # the state recorded before this frame's event
        state = 1 if e == 1 else 0 if e == -1 else state
    return np.array(out)


def toggle(events):
    state, out = 0, []
    for e in events:
        if e != 0:
            state = 1 - state  # flips on any event: wrong on two opens in a row
        out.append(state)
    return np.array(out)


CATALOGUE = {
    "sequence_shapes": [
        ("song genre read as aligned", {**RIGHT, "the genre of a song": "many-to-many (aligned)"}, "1 of the 8"),
        ("tagging unaligned", {**RIGHT, "part-of-speech tagging": "many-to-many (unaligned)"}, "1 of the 8"),
        ("text-to-speech aligned", {**RIGHT, "text-to-speech": "many-to-many (aligned)"}, "1 of the 8"),
        ("the house price as many-to-one", {**RIGHT, "the price of a house": "many-to-one"}, "1 of the 8"),
        ("everything aligned", {k: "many-to-many (aligned)" for k in RIGHT}, "6 of the 8"),
        ("melody and temperature swapped", {**RIGHT, "a melody from one mood": "many-to-one",
                                            "tomorrow's temperature": "one-to-many"}, "2 of the 8"),
        ("many-to-many without saying which", {**RIGHT, "text-to-speech": "many-to-many"}, "say which"),
        ("misspelled", {**RIGHT, "a melody from one mood": "one to lots"}, "not spelled as one of the five"),
        ("a key missing", {k: v for k, v in RIGHT.items() if k != "text-to-speech"}, "no answer yet"),
        ("a key of its own", {**RIGHT, "weather": "many-to-one"}, "not among the eight applications"),
        ("the table's applications", {"machine translation": "many-to-many (unaligned)"}, "not among the eight"),
        ("a number as a shape", {**RIGHT, "text-to-speech": 3}, "with a string"),
        ("one still open", {**RIGHT, "text-to-speech": ...}, "still have `...`"),
        ("a list", list(RIGHT.values()), "answer with a dict"),
    ],
    "door_open": [
        ("np.cumsum: counts", lambda e: np.cumsum(e), "adds the events up"),
        ("maximum.accumulate of the opens: never closes", never_closes, "never closes"),
        ("state read before the frame's event", read_before_update, "off by one"),
        ("the events themselves", lambda e: e.copy(), "keep a state"),
        ("a toggle on any event", toggle, "flips at every event"),
        ("a clipped running sum", lambda e: np.clip(np.cumsum(e), 0, 1), "running sum"),
        ("-1 for closed", lambda e: 2 * door(e) - 1, "closed is 0, not -1"),
        ("1 for closed", lambda e: 1 - door(e), "1 means open"),
        ("one frame early", lambda e: np.concatenate([door(e)[1:], door(e)[-1:]]), "one frame early"),
        ("one state short", lambda e: door(e)[:-1], "shape"),
        ("a string", lambda e: "1", "should be an array"),
        ("states of 2", lambda e: 2 * door(e), "between 0 and 1"),
    ],
}


def test_sequence_shapes_says_how_many_are_wrong_never_which():
    wrong = [a for label, a, f in CATALOGUE["sequence_shapes"] if " of the 8" in f]
    for answer in wrong:
        message = ex.check("sequence_shapes", answer).message
        assert not any(app in message for app in RIGHT), message
        assert "not among" not in message and "not spelled" not in message
    one = ex.check("sequence_shapes", {**RIGHT, "text-to-speech": "many-to-many (aligned)"}).message
    other = ex.check("sequence_shapes", {**RIGHT, "the price of a house": "many-to-one"}).message
    assert one == other  # changing which one is wrong changes nothing in what the student learns


def test_sequence_shapes_accepts_the_tables_spellings():
    assert ex.check("sequence_shapes", RIGHT)
    commas = {k: v.replace(" (", ", ").rstrip(")") for k, v in RIGHT.items()}
    assert ex.check("sequence_shapes", commas)  # "many-to-many, unaligned", as the chapter's table spells it
    assert ex.check("sequence_shapes", {k: v.upper().replace("-", " ") for k, v in RIGHT.items()})


def test_sequence_shapes_has_every_shape_and_a_template_is_not_attempted():
    assert {ch00._norm(v) for v in RIGHT.values()} == {ch00._norm(s) for s in ch00.SHAPES}
    assert ex.check("sequence_shapes", dict.fromkeys(RIGHT, ...)).status == "not attempted"
    assert ex.check("sequence_shapes", {"text-to-speech": ..., "tomorrow's temperature": ...}).status == \
        "not attempted"


def test_door_open_reference_and_films():
    """The checker's reference is the door as the exercise defines it, and its films hold every case it promises."""
    assert door(np.array([0, 1, 1, -1, -1, 0, 1, 0])).tolist() == [0, 1, 1, 0, 0, 0, 1, 1]
    films = ch00._films()
    runs = [[0, *f[f != 0]] for f in films]  # the events in order, after the closed start
    assert any(any(a == b == 1 for a, b in zip(r, r[1:])) for r in runs)    # two opens in a row
    assert any(any(a < 1 and b == -1 for a, b in zip(r, r[1:])) for r in runs)  # a close on a closed door
    assert any(f[0] == 1 for f in films) and any(f[-1] == -1 for f in films)  # events at the first and last frame
    assert any(len(f) > 1 and not f.any() for f in films) and {len(f) for f in films if len(f) == 1} == {1}
    assert sum(np.count_nonzero(f) >= 6 for f in films) >= 3  # several films with several opens and closes


def test_door_open_accepts_reasonable_variants():
    assert ex.check("door_open", lambda e: door(e).astype(bool))   # booleans
    assert ex.check("door_open", lambda e: list(door(e)))          # a list
    assert ex.check("door_open", lambda e: door(e).astype(float))  # floats

    def clipped_sum(events):  # clipping at every step is the latch itself
        state, out = 0, []
        for e in events:
            state = min(1, max(0, state + e))
            out.append(state)
        return out
    assert ex.check("door_open", clipped_sum)

    def last_event(events):
        state, out = False, []
        for e in events:
            state = (e > 0) if e else state
            out.append(state)
        return out
    assert ex.check("door_open", last_event)
