"""The adding problem at T = 100: an LSTM learns it, a vanilla RNN of the same size does not.

Both are trained with this package's own pieces (SequenceModel, train.train,
optim.Adam, clipping by global norm 1.0), float32, hidden size 16, batches of
32 fresh sequences, validation on 1000 fixed sequences every 100 steps. The
LSTM stops as soon as its validation MSE is below 0.01; each RNN gets the full
budget at three learning rates, so it is not held back by a single choice.
Predicting the mean scores MSE = 1/6 = 0.167.

    python benchmarks/adding_problem.py [--seq-len 100] [--budget 2000] [--seed 0]
"""
import argparse

import numpy as np

from lstm_helpers import SequenceModel, optim, tasks, train

HIDDEN, BATCH, TARGET = 16, 32, 0.01


def run(cell, seq_len, steps, lr, seed, val, target=None):
    rng = np.random.default_rng(seed)
    model = SequenceModel(cell, 2, HIDDEN, 1, rng, dtype=np.float32)
    hist = train.train(model, lambda: tasks.adding_problem(BATCH, seq_len, rng), steps,
                       optimizer=optim.Adam(model.params, lr=lr), clip=1.0, val=val,
                       eval_every=100, progress=False, target=target)
    return hist


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seq-len", type=int, default=100)
    ap.add_argument("--budget", type=int, default=2000, help="training steps at most")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    val = tasks.adding_problem(1000, args.seq_len, np.random.default_rng(10_000 + args.seed))
    print(f"adding problem, T = {args.seq_len}, H = {HIDDEN}, batch {BATCH}, budget {args.budget} steps, "
          f"float32; baseline MSE {tasks.ADDING_BASELINE_MSE:.3f}")
    print(f"{'model':>6} {'lr':>6} {'steps':>6} {'seconds':>8} {'ms/step':>8} {'final val MSE':>14} "
          f"{'best val MSE':>13} {'< 0.01':>7}")
    rows = [("lstm", 0.02, TARGET)] + [("rnn", lr, None) for lr in (0.02, 0.005, 0.001)]
    for cell, lr, target in rows:
        hist = run(cell, args.seq_len, args.budget, lr, args.seed, val, target)
        n = hist.steps[-1]
        best = min(hist.val_loss)
        print(f"{cell:>6} {lr:6.3f} {n:6d} {hist.seconds:8.1f} {1e3 * hist.seconds / n:8.2f} "
              f"{hist.final_val_loss:14.4f} {best:13.4f} {'yes' if best < TARGET else 'no':>7}", flush=True)


if __name__ == "__main__":
    main()
