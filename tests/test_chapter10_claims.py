"""Chapter 10: what its prose says about its own run holds on that run (executed once per session).

Digits read row by row against the whole image, the rows that matter, the language of a word with and without
lengths and padding, the bags of letters, the bidirectional readout; the tables quoted from
benchmarks/applications.py hold the run's own numbers as seed 0, and the slow test reruns the other seeds.
"""
import numpy as np
import pytest
from conftest import load_benchmark

from lstm_helpers import tasks

CHAPTER = "10"


def _table(ch, cell_id):
    """A table of the cell as {model: [accuracy of seed 0, 1, 2]}."""
    rows = {}
    for line in ch.cell(cell_id).source.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 2 and cells[0] not in ("model", "---"):
            rows[cells[0]] = [float(v) for v in cells[1].split(", ")]
    return rows


def _spread(values):
    return f"{min(values):.3f} to {max(values):.3f}"


def test_the_chapters_settings_are_the_benchmarks(ch):
    from lstm_helpers import tasks
    bench = load_benchmark("applications")
    assert bench.DIGITS == tasks.DIGIT_SETTINGS == ch.values["DIGITS"]  # the chapter shows them written out
    assert bench.WORDS == tasks.WORD_SETTINGS == ch.values["WORDS"]


def test_the_digits_run_is_the_tables_seed_0_and_the_reading_holds(ch):
    v, t = ch.values, _table(ch, "10-24")
    assert ch.values["DIGITS"] == load_benchmark("applications").DIGITS
    assert list(t) == list(v["digit_accuracy"]) and len(t) == 4
    for name, acc in v["digit_accuracy"].items():
        assert t[name][0] == round(acc, 3), name                               # the live run is seed 0
    text = ch.source("10-24")
    assert ("On seed 0 the LSTM classified {:.3f} of the 364 test images correctly, the GRU {:.3f}, the plain RNN "
            "{:.3f} and the model that sees the whole image {:.3f}").format(*v["digit_accuracy"].values()) in text
    whole = t.pop("whole image, one tanh layer")
    assert all(whole[s] > max(r[s] for r in t.values()) for s in range(3))    # ahead on every seed
    assert f"ahead on every seed ({_spread(whole)}; on seed 1 by one test image over the GRU)" in text
    assert round((whole[1] - t["GRU, row by row"][1]) * 364) == 1
    assert (f"(LSTM {_spread(t['LSTM, row by row'])}, GRU {_spread(t['GRU, row by row'])}, RNN "
            f"{_spread(t['RNN, row by row'])})") in text
    lstm, rnn = t["LSTM, row by row"], t["RNN, row by row"]
    assert np.median(rnn) >= np.median(lstm)                                   # "as well as the LSTM"
    assert ch.source("10-21") and len(v["x_test"]) == 364


def test_every_row_matters(ch):
    rows, full = ch.values["row_accuracy"], ch.values["digit_accuracy"]["LSTM, row by row"]
    text = ch.source("10-29")
    assert all(a < full for a in rows)
    assert f"from {full:.3f} with every row down to between {min(rows):.3f} and {max(rows):.3f}" in text
    assert text.startswith("On seed 0, blanking any one row cost accuracy")
    order = np.argsort(rows)                                                   # most costly first
    assert sorted(order[:2].tolist()) == [3, 4] and sorted(order[2:4].tolist()) == [0, 5] and order[-1] == 7
    assert rows[0] == rows[5] and f"({rows[3]:.3f} and {rows[4]:.3f})" in text
    assert f"rows 1 and 6 next ({rows[0]:.3f} each), the last row least ({rows[7]:.3f})" in text


def test_the_confusions_printed_are_the_matrix(ch):
    assert sum(ch.values["confusions"].values()) == round(
        (1 - ch.values["digit_accuracy"]["LSTM, row by row"]) * 364)


def test_what_padding_does(ch):
    p = {int(k): r for k, r in ch.values["padded_to"].items()}
    text = ch.source("10-36")
    a = "trained with lengths, read with lengths"
    b = "trained with lengths, read to step T"
    c = "trained reading to step 12, read to step T"
    acc = ch.values["word_accuracy"]
    assert p[12][a] == acc["LSTM, padding at the end, lengths"] and p[12][c] == acc[
        "LSTM, padding at the end, reads the padding"]
    assert f"gets {p[12][a]:.3f} whatever the padding ({p[20][a]:.3f} at $T = 20$ and 40" in text
    assert p[20][a] == p[40][a] and abs(p[20][a] - p[12][a]) < 0.01
    assert f"falls to {p[12][b]:.3f} at $T = 12$ and {p[40][b]:.3f} at $T = 40$" in text
    assert p[12][b] < 0.55 * p[12][a] and p[40][b] < p[12][b]
    assert f"does well at $T = 12$ ({p[12][c]:.3f})" in text and p[12][c] > p[12][a] - 0.02
    assert f"to {p[20][c]:.3f} at $T = 20$ and {p[40][c]:.3f} at $T = 40$" in text
    assert p[40][c] < p[20][c] < p[12][c] - 0.1
    assert (f"got {p[12][c]:.3f} with the padding it was trained with, {p[20][c]:.3f} and {p[40][c]:.3f} with 8 and 28 "
            "more steps of it") in ch.source("10-qa")
    summary = ch.source("10-sum")
    assert f"{p[12][c]:.3f} with the padding it was trained with, {p[40][c]:.3f} with 28 more steps of it" in summary


def test_the_words_table_and_its_reading(ch):
    t, acc = _table(ch, "10-36"), ch.values["word_accuracy"]
    assert len(t) == 8 and set(acc) <= set(t)
    for name, a in acc.items():
        assert t[name][0] == round(a, 3), name                                 # the live runs are seed 0
    lstm_ways = ["LSTM, padding at the end, lengths", "LSTM, padding at the end, reads the padding",
                 "LSTM, padding at the start", "LSTM, mean of h over the real steps"]
    medians = [np.median(t[n]) for n in lstm_ways]
    text = ch.source("10-36")
    assert f"(medians {min(medians):.3f} to {max(medians):.3f})" in text
    rnn = t["RNN, padding at the end, lengths"]
    every_lstm = [a for n in lstm_ways + ["bidirectional LSTM, lengths"] for a in t[n]]
    assert max(rnn) < min(every_lstm) and f"below every LSTM on every seed ({_spread(rnn)})" in text


def test_the_bags(ch):
    t = _table(ch, "10-36")
    letters, pairs = t["bag of letters, one tanh layer"], t["bag of letters and letter pairs, one tanh layer"]
    lstm = t["LSTM, padding at the end, lengths"]
    text = ch.source("10-39")
    assert f"reached {letters[0]:.3f} ({_spread(letters)} over three seeds), far below the LSTM's {lstm[0]:.3f}" in text
    assert max(letters) < min(lstm) - 0.15
    assert f"reached {pairs[0]:.3f} ({_spread(pairs)}), ahead of the LSTM with lengths on every seed ({_spread(lstm)})" \
        in text and all(p > q for p, q in zip(pairs, lstm))
    n = ch.values["n_params"]
    n_pairs, n_lstm = n["bag of letters and letter pairs, one tanh layer"], n["LSTM, padding at the end, lengths"]
    assert f"parameters ({n_pairs:,} against {n_lstm:,})" in text and 5.5 < n_pairs / n_lstm < 6.5
    from lstm_helpers import SequenceModel
    rnn = SequenceModel("rnn", 48, 48, 5, np.random.default_rng(0))             # the table's RNN with lengths
    n_bag = n["bag of letters, one tanh layer"]
    assert sum(a.size for a in rnn.params.values()) == n_bag
    rnn_acc = t["RNN, padding at the end, lengths"]
    recurrent = rnn.params["W"].shape[0] ** 2  # W_h: in a bag of one step it multiplies h_0 = 0 only
    assert (f"as many parameters as this bag ({n_bag:,}; in the bag, a model of one step, the {recurrent:,} recurrent "
            f"weights only ever meet $h_0 = 0$, so {n_bag - recurrent:,} of them act) and reached {_spread(rnn_acc)}") in text
    assert abs(np.median(rnn_acc) - np.median(letters) - 0.15) < 0.02
    assert f"({_spread(pairs)} over three seeds) was ahead of the LSTM with lengths ({_spread(lstm)})" in ch.source("10-qa")
    summary = ch.source("10-sum")
    assert (f"an LSTM found the language of {_spread(lstm)} of the test words (chance 0.20), a plain RNN "
            f"{_spread(t['RNN, padding at the end, lengths'])} and a bag of letters {_spread(letters)}") in summary
    assert f"a bag of letters and letter pairs reached {_spread(pairs)}" in summary


def test_the_bidirectional_readouts(ch):
    t, r = _table(ch, "10-36"), ch.values["bi_read"]
    bi, one = t["bidirectional LSTM, lengths"], t["LSTM, padding at the end, lengths"]
    right, wrong_len, wrong = r.values()
    text = ch.source("10-42")
    assert f"reached {_spread(bi)}: no better than one direction ({_spread(one)})" in text
    assert np.median(bi) - np.median(one) < 0.01
    assert f"On seed 0, the model trained here for 500 updates reads {right:.3f} of the test words correctly" in text
    assert f"falls to {wrong_len:.3f}, and to {wrong:.3f} when it is also run without lengths" in text
    assert wrong < wrong_len < right - 0.15
    assert f"(section 4, seed 0: {wrong_len:.3f} with lengths and {wrong:.3f} without, instead of {right:.3f})" in \
        ch.source("10-qa")
    assert f"`out[:, -1]` took the model of section 4 from {right:.3f} to {wrong_len:.3f} (seed 0)" in ch.source("10-sum")
    assert f"two directions reached {_spread(bi)} against one direction's {_spread(one)}" in ch.source("10-qa")
    assert "trains it for 500 updates, a third of the benchmark's budget" in ch.source("10-40")


def test_the_pooled_readout_answer(ch):
    t = _table(ch, "10-36")
    pooled, last = t["LSTM, mean of h over the real steps"], t["LSTM, padding at the end, lengths"]
    assert f"({_spread(pooled)} against {_spread(last)} over three seeds)" in ch.source("10-qa")
    assert abs(np.median(pooled) - np.median(last)) < 0.01


@pytest.mark.slow
def test_the_tables_other_seeds_are_what_the_benchmark_measures(ch):
    """10-24 and 10-36 quote benchmarks/applications.py over seeds 0-2: rerun what the chapter did not run itself
    (about 4 minutes)."""
    bench = load_benchmark("applications")
    digits, words = tasks.load_digits(), tasks.load_words()
    for cell_id, models, run, data in (("10-24", bench.DIGIT_MODELS, bench.run_digits, digits),
                                       ("10-36", bench.WORD_MODELS, bench.run_words, words)):
        t = _table(ch, cell_id)
        live = {**ch.values["digit_accuracy"], **ch.values["word_accuracy"]}    # seed 0, checked on the run
        assert list(t) == list(models)
        for name in models:
            seeds = (1, 2) if name in live else (0, 1, 2)
            got = [round(run(name, seed, data)[0], 3) for seed in seeds]
            assert got == t[name][-len(seeds):], name


def test_the_padding_explorer_reading(ch):
    """10-35c: what the cell under the explorer measured, for the five words and 0 to 30 padding steps."""
    moved, answers = ch.values["explorer_moved"], ch.values["explorer_answers"]
    given, reads = "trained with lengths, given the length", "trained reading to step 12, reads to the end"
    assert moved[given] == 0.0 and answers[given] == 0 and len(ch.values["examples"]) == 5
    text = ch.source("10-35c")
    assert "the first model's probabilities did not move at all" in text
    assert f"moved by up to {moved[reads]:.3f}, and its answer changed for {answers[reads]} of the 5 words" in text
    assert moved[reads] > 0.5 and answers[reads] >= 3


def test_the_words_mistakes(ch):
    """10-39c names the three most frequent mistakes of 10-39b's confusion matrix."""
    m = ch.values["word_mistakes"]
    assert list(m.items()) == [("it as es", 72), ("en as fr", 41), ("en as de", 31)]
    text = ch.source("10-39c")
    assert ("an Italian word read as Spanish (72 of the 400 Italian test words), then English words read as French "
            "(41) and as German (31)") in text
    assert int(np.sum(ch.values["word_confusion"])) == 2000
