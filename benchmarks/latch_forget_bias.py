"""The latch task at T = 100: which starting forget biases let an LSTM learn it, against a plain RNN.

Chapter 04's experiment over several seeds: the same small models (8 units, float32, Adam lr 0.01,
clipping at 1, batches of 32 fresh sequences, at most 500 steps, stopping once the validation loss
is below 0.05), validation on 500 fixed sequences. For each starting forget bias and for a vanilla
RNN (orthogonal W_h, the package's default), it prints per seed the steps taken and the validation
accuracy, then how many seeds learned the task (accuracy > 95 %) and the mean and spread of the
accuracy. Chance is 50 %.

    python benchmarks/latch_forget_bias.py [--seeds 5] [--budget 500] [--seq-len 100]
"""
import argparse
import time

import numpy as np

from lstm_helpers import SequenceModel, optim, tasks, train

HIDDEN, BATCH, LR, TARGET = 8, 32, 0.01, 0.05


def run(cell, seed, seq_len, budget, val, forget_bias=None):
    """(steps, accuracy) of one training run, exactly as chapter 04 trains (seed = its rng seed)."""
    rng = np.random.default_rng(seed)
    kw = {"forget_bias": forget_bias} if cell == "lstm" else {}
    model = SequenceModel(cell, 2, HIDDEN, 2, rng, loss="xent", dtype=np.float32, **kw)
    hist = train.train(model, lambda: tasks.latch_task(BATCH, seq_len, rng), budget,
                       optimizer=optim.Adam(model.params, lr=LR), val=val, eval_every=50,
                       target=TARGET, progress=False)
    xv, yv = val
    return hist.steps[-1], float(np.mean(model.predict(xv).argmax(-1) == yv))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--budget", type=int, default=500)
    ap.add_argument("--seq-len", type=int, default=100)
    args = ap.parse_args()
    val = tasks.latch_task(500, args.seq_len, np.random.default_rng(99))  # chapter 04's validation set
    seeds = range(args.seeds)
    print(f"latch task, T = {args.seq_len}, H = {HIDDEN}, at most {args.budget} steps, seeds {list(seeds)}")
    print(f"{'model':>14} " + "".join(f"{'seed ' + str(s):>13}" for s in seeds)
          + f" {'learned':>8} {'mean acc':>9} {'std':>6} {'s/run':>6}")
    rows = [("lstm", b) for b in (0.0, 1.0, 2.0, 3.0, 5.0)] + [("rnn", None)]
    for cell, b in rows:
        start, cells, accs = time.perf_counter(), [], []
        for s in seeds:
            steps, acc = run(cell, s, args.seq_len, args.budget, val, b)
            accs.append(acc)
            cells.append(f"{acc:4.0%} @{steps:4d}")
        name = f"LSTM b_f = {b:.0f}" if cell == "lstm" else "RNN"
        learned = sum(a > 0.95 for a in accs)
        print(f"{name:>14} " + "".join(f"{c:>13}" for c in cells)
              + f" {learned:>4d}/{len(accs):<3d} {np.mean(accs):9.1%} {np.std(accs):6.1%}"
              f" {(time.perf_counter() - start) / len(accs):6.1f}", flush=True)


if __name__ == "__main__":
    main()
