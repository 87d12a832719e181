"""The tutorial's applications on real data, over seeds (chapter 10).

- Digits read row by row (the tutorial's LSTM_MNIST.py, on the UCI 8 x 8 digits): an image is 8 steps of 8
  pixels; LSTM, GRU and plain RNN (H = 32) against a model that sees the whole image at once (64 pixels into one
  tanh layer of 32, which is an RNN run for a single step). Adam lr 1e-2, batches of 64, clipping at 1, float32,
  600 updates (about 27 passes over the 1,433 training images); accuracy on the 364 test images.
- Which language is a word, read letter by letter (the tutorial's text classifiers, on words of five languages):
  one-hot letters, words cut to 12 letters; an LSTM (H = 48) reading each word to its own last letter
  (padding at the end, with lengths), the same LSTM reading the padding (no lengths), padding at the start
  (Keras' default, no lengths), the mean of h_t over the real steps instead of the last, a bidirectional LSTM
  with lengths, a plain RNN with lengths, and a bag of letters
  (the counts of each letter into one tanh layer of 48: no order at all) and a bag of letters and letter pairs
  (also the counts of each pair of neighbouring letters, and which letters come first and last). 1500 updates of 64 words (12 passes
  over the 8,000 training words); accuracy on the 2,000 test words.

    python benchmarks/applications.py [--seeds 3] [--tasks digits words]

Prints the test accuracy per model and seed, then the median and the range, and the median milliseconds per
update.
"""
import argparse
import statistics
import time

import numpy as np
from threadpoolctl import threadpool_limits

from lstm_helpers import SequenceModel, optim, tasks

DIGITS, WORDS = tasks.DIGIT_SETTINGS, tasks.WORD_SETTINGS

# name -> (cell, SequenceModel options, how the input is shaped)
DIGIT_MODELS = {
    "LSTM, row by row": ("lstm", {}, "rows"),
    "GRU, row by row": ("gru", {}, "rows"),
    "RNN, row by row": ("rnn", {}, "rows"),
    "whole image, one tanh layer": ("rnn", {}, "whole"),
}
WORD_MODELS = {
    "LSTM, padding at the end, lengths": ("lstm", {}, "end"),
    "LSTM, padding at the end, reads the padding": ("lstm", {}, "end, no lengths"),
    "LSTM, padding at the start": ("lstm", {}, "start"),
    "LSTM, mean of h over the real steps": ("lstm", {"pool": "mean"}, "end"),
    "bidirectional LSTM, lengths": ("lstm", {"bidirectional": True}, "end"),
    "RNN, padding at the end, lengths": ("rnn", {}, "end"),
    "bag of letters, one tanh layer": ("rnn", {}, "bag"),
    "bag of letters and letter pairs, one tanh layer": ("rnn", {}, "pairs"),
}


def fit(model, x, y, lengths, steps, batch, lr, rng):
    """Train on random batches; (ms per update). ``lengths`` None: every sequence is read to its end."""
    opt = optim.Adam(model.params, lr=lr)
    start = time.perf_counter()
    with threadpool_limits(limits=1, user_api="blas"):
        for _ in range(steps):
            rows = rng.integers(0, len(x), batch)
            extra = () if lengths is None else (lengths[rows],)
            _, grads = model.loss_and_grads(x[rows], y[rows], *extra)
            optim.clip_grad_norm(grads, 1.0)
            opt.step(grads)
    return 1e3 * (time.perf_counter() - start) / steps


def accuracy(model, x, y, lengths=None):
    extra = () if lengths is None else (lengths,)
    return float((model.predict(x, *extra).argmax(axis=-1) == y).mean())


def digit_inputs(shape, images):
    return images if shape == "rows" else images.reshape(len(images), 1, 64)


def run_digits(name, seed, data=None):
    """(test accuracy, ms per update, the model) for one model and seed."""
    (x, y), (xt, yt) = data or tasks.load_digits()
    cell, options, shape = DIGIT_MODELS[name]
    x, xt = digit_inputs(shape, x).astype(np.float32), digit_inputs(shape, xt).astype(np.float32)
    rng = np.random.default_rng(seed)
    d = DIGITS
    model = SequenceModel(cell, x.shape[-1], d["hidden"], 10, rng, loss="xent", dtype=np.float32, **options)
    ms = fit(model, x, y, None, d["steps"], d["batch"], d["lr"], rng)
    return accuracy(model, xt, yt), ms, model


def word_inputs(way, words, alphabet):
    """(x, lengths or None) for one way of feeding the words."""
    if way in ("bag", "pairs"):
        x, _ = tasks.encode_words(words, alphabet, max(len(w) for w in words))
        bag = x.sum(axis=1)                                            # (N, V): how often each letter
        if way == "pairs":
            pairs = np.einsum("ntv,ntw->nvw", x[:, :-1], x[:, 1:]).reshape(len(words), -1)   # (N, V * V)
            last = x[np.arange(len(words)), [len(w) - 1 for w in words]]                    # (N, V)
            bag = np.concatenate([bag, pairs, x[:, 0], last], axis=1)  # letters, neighbours, first, last
        return bag[:, None, :], None                                   # (N, 1, features)
    x, lengths = tasks.encode_words(words, alphabet, WORDS["length"], side="start" if way == "start" else "end")
    return x, (lengths if way == "end" else None)


def word_alphabet(words):
    return sorted(set("".join(words)))


def run_words(name, seed, data=None):
    """(test accuracy, ms per update, the model) for one model and seed."""
    (w, y), (wt, yt) = data or tasks.load_words()
    cell, options, way = WORD_MODELS[name]
    alphabet = word_alphabet(w)
    x, lengths = word_inputs(way, w, alphabet)
    xt, lengths_t = word_inputs(way, wt, alphabet)
    rng = np.random.default_rng(seed)
    d = WORDS
    model = SequenceModel(cell, x.shape[-1], d["hidden"], len(tasks.WORD_LANGUAGES), rng, loss="xent",
                          dtype=np.float32, **options)
    ms = fit(model, x.astype(np.float32), y, lengths, d["steps"], d["batch"], d["lr"], rng)
    return accuracy(model, xt.astype(np.float32), yt, lengths_t), ms, model


def report(title, models, run, seeds, data):
    print(title)
    rows = {}
    for name in models:
        rows[name] = [run(name, seed, data)[:2] for seed in range(seeds)]
        accs = [a for a, _ in rows[name]]
        print(f"  {name:42s} " + "  ".join(f"{a:.3f}" for a in accs) +
              f"   median {statistics.median(accs):.3f}, from {min(accs):.3f} to {max(accs):.3f};"
              f" {statistics.median(ms for _, ms in rows[name]):.1f} ms per update", flush=True)
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--tasks", nargs="*", default=["digits", "words"], choices=["digits", "words"])
    args = ap.parse_args()
    if "digits" in args.tasks:
        report(f"digits, test accuracy after {DIGITS['steps']} updates (chance 0.10)", DIGIT_MODELS, run_digits,
               args.seeds, tasks.load_digits())
    if "words" in args.tasks:
        report(f"\nwords, test accuracy after {WORDS['steps']} updates (chance 0.20)", WORD_MODELS, run_words,
               args.seeds, tasks.load_words())


if __name__ == "__main__":
    main()
