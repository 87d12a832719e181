"""Chapter 08's character model on Python source: LSTM against plain RNNs, over seeds and over time.

Every model reads the training text as 32 parallel streams in chunks of 64 characters (truncated
backpropagation through time, the state carried from chunk to chunk), float32, Adam (lr 1e-2),
gradients clipped at global norm 1, one BLAS thread. Bits per character are measured on the whole
held-out text (3 modules the models never train on), read in order with the state carried.

    python benchmarks/char_model.py                    # the chapter's settings over 5 seeds
    python benchmarks/char_model.py --seconds 30 60 120  # bits per character after that much training

Compared with the same text's unigram and bigram models (add-0.5 counts from the training text) and
with zlib and lzma coding the held-out text after the training text.
"""
import argparse
import statistics
import time

import numpy as np
from threadpoolctl import threadpool_limits

from lstm_helpers import SequenceModel, charlm, optim, tasks

# The chapter's settings: one place, read by the notebook's test through this module.
SETTINGS = {"batch_size": 32, "seq_len": 64, "lr": 1e-2, "clip": 1.0, "steps": 1200}
MODELS = {"LSTM, H = 64": ("lstm", 64), "RNN, H = 64": ("rnn", 64), "RNN, H = 160 (as many parameters)": ("rnn", 160)}


def corpus():
    """The encoded training and validation texts and their vocabulary."""
    train, val = tasks.load_code()
    vocab = tasks.Vocabulary(train)
    return vocab, vocab.encode(train), vocab.encode(val), train, val


def make(cell, hidden, vocab, seed):
    rng = np.random.default_rng(seed)
    model = SequenceModel(cell, vocab.size, hidden, vocab.size, rng, loss="xent", many_to_one=False,
                          stateful=True, dtype=np.float32)
    return model


def train_for(model, ids, vocab, steps=None, seconds=None, marks=(), val_ids=None):
    """Train until ``steps`` updates or ``seconds`` of training; bpc on val_ids at each mark (steps or seconds)."""
    s = SETTINGS
    stream = charlm.TextStream(ids, s["batch_size"], s["seq_len"], vocab.size, on_wrap=model.reset_state)
    opt = optim.Adam(model.params, lr=s["lr"])
    marks, reached, trained, step = list(marks), {}, 0.0, 0
    with threadpool_limits(limits=1, user_api="blas"):
        while True:
            start = time.perf_counter()
            loss, grads = model.loss_and_grads(*stream())
            optim.clip_grad_norm(grads, s["clip"])
            opt.step(grads)
            trained += time.perf_counter() - start
            step += 1
            now = step if steps is not None else trained
            while marks and now >= marks[0]:
                reached[marks.pop(0)] = (step, charlm.stream_bits_per_char(model, val_ids, vocab.size))
            if (steps is not None and step >= steps) or (seconds is not None and trained >= seconds):
                return step, trained, reached


def baselines(vocab, a, b, train, val):
    return {"unigram": charlm.ngram_bits_per_char(a, b, vocab.size, 1),
            "bigram": charlm.ngram_bits_per_char(a, b, vocab.size, 2),
            "zlib": charlm.compressor_bits_per_char(train, val, "zlib"),
            "lzma": charlm.compressor_bits_per_char(train, val, "lzma")}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--seconds", type=float, nargs="*", help="time marks: one run per model (seed 0)")
    args = ap.parse_args()
    vocab, a, b, train, val = corpus()
    print(f"training text {len(a)} characters, held-out text {len(b)}, V = {vocab.size}")
    for name, bpc in baselines(vocab, a, b, train, val).items():
        print(f"  {name:8s} {bpc:.3f} bits per character")
    s = SETTINGS
    if args.seconds:
        marks = sorted(args.seconds)
        print("\nbits per character on the held-out text after t seconds of training (seed 0)")
        print(f"{'model':36s} {'chars/s':>9s} " + "".join(f"{f't = {m:g} s':>14s}" for m in marks))
        for name, (cell, hidden) in MODELS.items():
            model = make(cell, hidden, vocab, 0)
            step, trained, reached = train_for(model, a, vocab, seconds=marks[-1], marks=marks, val_ids=b)
            rate = step * s["batch_size"] * s["seq_len"] / trained
            print(f"{name:36s} {rate:9.0f} " + "".join(f"{reached[m][1]:8.3f} ({reached[m][0]:4d})" for m in marks))
        print("(in brackets: the updates done by then)")
        return
    marks = [s["steps"] // 4, s["steps"] // 2, s["steps"]]
    print(f"\nbits per character on the held-out text after n updates, {args.seeds} seeds "
          f"(B = {s['batch_size']}, k = {s['seq_len']}, lr = {s['lr']})")
    for name, (cell, hidden) in MODELS.items():
        rows, times = {m: [] for m in marks}, []
        for seed in range(args.seeds):
            model = make(cell, hidden, vocab, seed)
            _, trained, reached = train_for(model, a, vocab, steps=s["steps"], marks=marks, val_ids=b)
            times.append(trained)
            for m in marks:
                rows[m].append(reached[m][1])
        n_params = sum(v.size for v in make(cell, hidden, vocab, 0).params.values())
        print(f"{name} ({n_params} parameters), training {statistics.median(times):.1f} s per run (median), "
              f"{s['steps'] * s['batch_size'] / statistics.median(times):.0f} sequences of {s['seq_len']} per s")
        for m in marks:
            v = rows[m]
            print(f"  after {m:5d} updates: median {statistics.median(v):.3f}, from {min(v):.3f} to {max(v):.3f}   "
                  + " ".join(f"{x:.3f}" for x in v))


if __name__ == "__main__":
    main()
