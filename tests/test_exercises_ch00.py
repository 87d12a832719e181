"""Chapter 00's exercises: sequence_shapes (not brute-forceable) and seen_so_far (several events per film)."""
import numpy as np

from lstm_helpers import exercises as ex
from lstm_helpers.exercises import ch00

RIGHT = dict(ch00.RIGHT)


def latch(events):
    return np.maximum.accumulate(events)


CATALOGUE = {
    "sequence_shapes": [
        ("captioning read as many-to-one", {**RIGHT, "image captioning": "many-to-one"}, "1 of the 7"),
        ("translation aligned", {**RIGHT, "machine translation": "many-to-many (aligned)"}, "1 of the 7"),
        ("a valid option that is wrong", {**RIGHT, "speech recognition": "one-to-one"}, "1 of the 7"),
        ("everything aligned", {k: "many-to-many (aligned)" for k in RIGHT}, "5 of the 7"),
        ("sentiment and captioning swapped", {**RIGHT, "image captioning": "many-to-one",
                                              "sentiment of a review": "one-to-many"}, "2 of the 7"),
        ("many-to-many without saying which", {**RIGHT, "speech recognition": "many-to-many"}, "say which"),
        ("misspelled", {**RIGHT, "image captioning": "one to lots"}, "not spelled as one of the five"),
        ("a key missing", {k: v for k, v in RIGHT.items() if k != "image captioning"}, "no answer yet"),
        ("a key of its own", {**RIGHT, "weather": "many-to-one"}, "not among the seven applications"),
        ("a number as a shape", {**RIGHT, "image captioning": 3}, "with a string"),
        ("one still open", {**RIGHT, "image captioning": ...}, "still have `...`"),
        ("a list", list(RIGHT.values()), "answer with a dict"),
    ],
    "seen_so_far": [
        ("np.cumsum (the reviewer's)", lambda e: np.cumsum(e), "counts the events"),
        ("frame by frame", lambda e: e.copy(), "keep a state"),
        ("a toggle", lambda e: np.cumsum(e) % 2, "switch the label back"),
        ("one frame late", lambda e: np.concatenate([[0], latch(e)[:-1]]), "off by one"),
        ("one frame early", lambda e: np.concatenate([latch(e)[1:], latch(e)[-1:]]), "off by one"),
        ("looks ahead", lambda e: latch(e[::-1])[::-1], "looks back"),
        ("the whole film", lambda e: np.full(len(e), e.max()), "only the frames up to t"),
        ("one label short", lambda e: latch(e)[:-1], "shape"),
        ("hard-coded for one film", lambda e: np.array([0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1]), "shape"),
        ("a string", lambda e: "1", "should be an array"),
        ("labels of 2", lambda e: 2 * latch(e), "between 0 and 1"),
    ],
}


def test_sequence_shapes_says_how_many_are_wrong_never_which():
    wrong = [a for label, a, f in CATALOGUE["sequence_shapes"] if " of the 7" in f]
    for answer in wrong:
        message = ex.check("sequence_shapes", answer).message
        assert not any(app in message for app in RIGHT), message
        assert "not among" not in message and "not spelled" not in message
    one = ex.check("sequence_shapes", {**RIGHT, "image captioning": "many-to-one"}).message
    other = ex.check("sequence_shapes", {**RIGHT, "speech recognition": "one-to-one"}).message
    assert one == other  # changing which one is wrong changes nothing in what the student learns


def test_sequence_shapes_accepts_the_tables_spellings():
    assert ex.check("sequence_shapes", RIGHT)
    commas = {k: v.replace(" (", ", ").rstrip(")") for k, v in RIGHT.items()}
    assert ex.check("sequence_shapes", commas)  # "many-to-many, unaligned", as the chapter's table spells it
    assert ex.check("sequence_shapes", {k: v.upper().replace("-", " ") for k, v in RIGHT.items()})


def test_seen_so_far_accepts_reasonable_variants():
    assert ex.check("seen_so_far", lambda e: np.cumsum(e) > 0)   # booleans
    assert ex.check("seen_so_far", lambda e: list(latch(e)))      # a list

    def loop(events):
        seen, out = False, []
        for e in events:
            seen = seen or bool(e)
            out.append(int(seen))
        return out
    assert ex.check("seen_so_far", loop)
