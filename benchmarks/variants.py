"""The LSTM's family on the same tasks with the same budget, over seeds: an ablation in the spirit of
Greff et al. (2017), "LSTM: A Search Space Odyssey" (chapter 09).

Models: the LSTM (forget bias 1), the LSTM without a forget gate (the 1997 cell), with coupled input
and forget gates (i = 1 - f), with peepholes; the GRU in Cho et al.'s form and in PyTorch's (the reset
after the product); and a plain RNN. Every model starts from the same seed's numbers where it has
the same blocks (lstm.init_params draws them in one order).

- The adding problem at T = 100, chapter 07's settings: H = 16, batches of 32 fresh sequences, Adam
  lr 0.02, clipping at global norm 1, float32, 1500 updates (no early stop); the validation MSE on
  chapter 07's 500 sequences at the end, against 0.18 for the best constant, and the first update
  (checked every 100) at which it was below 0.01.
- The character model of chapter 08 at a small size: H = 64, chapter 08's settings (32 streams,
  chunks of 64, Adam lr 1e-2, clipping at 1, float32); bits per character on the whole held-out
  text after 400 updates and after 1200 (one run, measured at both marks).

    python benchmarks/variants.py [--seeds 3] [--tasks adding chars]

Prints a row per model and seed, then per model the median and the range over seeds, and the
median milliseconds per update.
"""
import argparse
import statistics
import sys
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parent))
import char_model  # noqa: E402  (chapter 08's corpus, settings and training loop)

from lstm_helpers import SequenceModel, optim, tasks, train  # noqa: E402

MODELS = {
    "LSTM": ("lstm", {}),
    "LSTM, no forget gate (1997)": ("lstm", {"forget_gate": False}),
    "LSTM, coupled (i = 1 - f)": ("lstm", {"coupled": True}),
    "LSTM, peepholes": ("lstm", {"peepholes": True}),
    "GRU (Cho et al.)": ("gru", {}),
    "GRU (PyTorch's form)": ("gru", {"reset_after": True}),
    "RNN": ("rnn", {}),
}
ADDING = {"T": 100, "hidden": 16, "batch": 32, "lr": 0.02, "steps": 1500, "target": 0.01}
CHARS = {"hidden": 64, "marks": (400, 1200)}


def run_adding(name, seed, val):
    """(final validation MSE, first update below the target or None, ms per update, the validation MSEs)."""
    cell, options = MODELS[name]
    a = ADDING
    rng = np.random.default_rng(seed)
    model = SequenceModel(cell, 2, a["hidden"], 1, rng, dtype=np.float32, **options)
    hist = train.train(model, lambda: tasks.adding_problem(a["batch"], a["T"], rng), a["steps"],
                       optimizer=optim.Adam(model.params, lr=a["lr"]), clip=1.0, val=val, eval_every=100,
                       progress=False)
    passed = next((s for s, v in zip(hist.val_steps, hist.val_loss) if v < a["target"]), None)
    return hist.final_val_loss, passed, 1e3 * hist.seconds / hist.steps[-1], hist.val_loss


def run_chars(name, seed, corpus):
    """({mark: bits per character on the held-out text after that many updates}, ms per update)."""
    cell, options = MODELS[name]
    vocab, train_ids, val_ids = corpus
    model = SequenceModel(cell, vocab.size, CHARS["hidden"], vocab.size, np.random.default_rng(seed), loss="xent",
                          many_to_one=False, stateful=True, dtype=np.float32, **options)
    marks = CHARS["marks"]
    _, seconds, reached = char_model.train_for(model, train_ids, vocab, steps=marks[-1], marks=marks, val_ids=val_ids)
    return {m: reached[m][1] for m in marks}, 1e3 * seconds / marks[-1]


def summary(values, fmt):
    """Median and range of the values that are not None, and how many those are when some are."""
    done = [v for v in values if v is not None]
    if not done:
        return "never"
    count = f"{len(done)} of {len(values)} seeds: " if len(done) < len(values) else ""
    return f"{count}median {statistics.median(done):{fmt}}, from {min(done):{fmt}} to {max(done):{fmt}}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--tasks", nargs="*", default=["adding", "chars"], choices=["adding", "chars"])
    args = ap.parse_args()
    with threadpool_limits(limits=1, user_api="blas"):
        if "adding" in args.tasks:
            val = tasks.adding_problem(500, ADDING["T"], np.random.default_rng(99))
            print(f"adding problem, T = {ADDING['T']}, H = {ADDING['hidden']}, {ADDING['steps']} updates; "
                  f"the best constant scores {float(val[1].var()):.4f}")
            rows = {}
            for name in MODELS:
                rows[name] = [run_adding(name, seed, val) for seed in range(args.seeds)]
                print(f"  {name:30s} " + "  ".join(f"{mse:.4f} (<0.01 at {passed})" for mse, passed, *_ in rows[name]),
                      flush=True)
            print("\n  per model: final validation MSE; updates to pass 0.01; ms per update")
            for name, r in rows.items():
                mse, passed = summary([m for m, *_ in r], ".4f"), summary([p for _, p, *_ in r], ".0f")
                print(f"  {name:30s} {mse:40s} {passed:40s} {statistics.median(ms for _, _, ms, _ in r):.2f}")
        if "chars" in args.tasks:
            vocab, train_ids, val_ids, _, _ = char_model.corpus()
            marks = CHARS["marks"]
            print(f"\ncharacter model, H = {CHARS['hidden']}, chapter 08's settings; bits per character on the "
                  f"held-out text after {' and '.join(map(str, marks))} updates")
            rows = {}
            for name in MODELS:
                rows[name] = [run_chars(name, seed, (vocab, train_ids, val_ids)) for seed in range(args.seeds)]
                print(f"  {name:30s} " + "  ".join("/".join(f"{b[m]:.3f}" for m in marks) for b, _ in rows[name]),
                      flush=True)
            print("\n  per model: bits per character after " + ", ".join(map(str, marks)) + " updates; ms per update")
            for name, r in rows.items():
                bpc = "  ".join(summary([b[m] for b, _ in r], ".3f") for m in marks)
                print(f"  {name:30s} {bpc:80s} {statistics.median(ms for _, ms in r):.2f}")


if __name__ == "__main__":
    main()
