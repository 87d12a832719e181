"""The adding problem at T = 100: an LSTM learns it, a vanilla RNN of the same size does not.

Both are trained as chapter 07 trains them, with this package's own pieces (SequenceModel,
train.train, optim.Adam lr 0.02, clipping by global norm 1.0), float32, hidden size 16, batches
of 32 fresh sequences, validation on 500 fixed sequences (chapter 07's) every 100 steps. The LSTM
stops as soon as its validation MSE is below 0.01; the RNN gets the full budget. For every seed
it prints when the LSTM left the baseline (first validation MSE below half the validation set's
own best constant, its variance) and when it passed 0.01; then, on the first seed, the RNN at two
more learning rates, so it is not held back by a single choice.

    python benchmarks/adding_problem.py [--seq-len 100] [--budget 1500] [--seeds 5]
"""
import argparse

import numpy as np

from lstm_helpers import SequenceModel, optim, tasks, train

HIDDEN, BATCH, TARGET, LR = 16, 32, 0.01, 0.02


def run(cell, seq_len, steps, lr, seed, val, target=None):
    rng = np.random.default_rng(seed)
    model = SequenceModel(cell, 2, HIDDEN, 1, rng, dtype=np.float32)
    return train.train(model, lambda: tasks.adding_problem(BATCH, seq_len, rng), steps,
                       optimizer=optim.Adam(model.params, lr=lr), clip=1.0, val=val,
                       eval_every=100, progress=False, target=target)


def first_below(hist, level):
    """The first validation step whose loss is below ``level``, or None."""
    return next((s for s, v in zip(hist.val_steps, hist.val_loss) if v < level), None)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seq-len", type=int, default=100)
    ap.add_argument("--budget", type=int, default=1500, help="training steps at most")
    ap.add_argument("--seeds", type=int, default=5)
    args = ap.parse_args()
    val = tasks.adding_problem(500, args.seq_len, np.random.default_rng(99))
    own = float(val[1].var())
    print(f"adding problem, T = {args.seq_len}, H = {HIDDEN}, batch {BATCH}, budget {args.budget} steps, "
          f"float32, Adam lr {LR}, clip 1; baseline: the validation set's best constant scores {own:.4f} "
          f"(1/6 = {tasks.ADDING_BASELINE_MSE:.4f} in expectation)")
    print(f"{'model':>6} {'seed':>5} {'lr':>6} {'steps':>6} {'seconds':>8} {'left baseline at':>17} "
          f"{'< 0.01 at':>10} {'final val MSE':>14} {'× baseline':>11}")
    rows = [(cell, s, LR) for s in range(args.seeds) for cell in ("lstm", "rnn")]
    rows += [("rnn", 0, lr) for lr in (0.005, 0.001)]
    summary = {"lstm": [], "rnn": []}
    for cell, seed, lr in rows:
        hist = run(cell, args.seq_len, args.budget, lr, seed, val, TARGET if cell == "lstm" else None)
        left, passed = first_below(hist, own / 2), first_below(hist, TARGET)
        if lr == LR:
            summary[cell].append((passed, hist.final_val_loss))
        print(f"{cell:>6} {seed:5d} {lr:6.3f} {hist.steps[-1]:6d} {hist.seconds:8.1f} {str(left):>17} "
              f"{str(passed):>10} {hist.final_val_loss:14.4f} {hist.final_val_loss / own:11.3f}", flush=True)
    for cell, res in summary.items():
        steps = [p for p, _ in res if p is not None]
        spread = f", steps to pass 0.01: {min(steps)}–{max(steps)}, median {np.median(steps):.0f}" if steps else ""
        print(f"{cell.upper()}: {len(steps)} of {len(res)} seeds passed 0.01 within {args.budget} steps{spread}; "
              f"final MSE / baseline: {', '.join(f'{v / own:.3f}' for _, v in res)}")


if __name__ == "__main__":
    main()
