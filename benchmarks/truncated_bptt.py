"""Truncated backpropagation through time at T = 100: k = 20 against k = 100, on two tasks.

The gradient is cut k steps before the loss (SequenceModel(truncate=k): the forward pass reads all
100 steps, the backward pass only the last k), with the same budget of updates for both k.

- The latch (chapter 04's settings: LSTM H = 8, forget bias 5, batches of 32, Adam lr 0.01, at most
  500 updates, stop below a validation loss of 0.05): the bit to remember is at step 1 only, so with
  k = 20 no gradient ever reaches the step that writes it.
- The adding problem (chapter 07's settings: H = 16, batches of 32, Adam lr 0.02, clip 1, 1200
  updates): the first marked value lies in steps 1 to 50, out of reach of k = 20, but the second
  lies in the last 20 steps in about 40 % of the sequences.

Prints, per seed, what each k reached; then the median time per update (adding problem) for each k
and the size of the forward cache the backward pass reads.

    python benchmarks/truncated_bptt.py [--budget 1200] [--seeds 5]
"""
import argparse
import statistics
import time

import numpy as np
from threadpoolctl import threadpool_limits

from lstm_helpers import SequenceModel, lstm, optim, tasks, train

T, HIDDEN, BATCH, LR, TARGET = 100, 16, 32, 0.02, 0.01
KS = (20, 100)


def run_latch(k, seed, val):
    """Chapter 04's latch with truncation k; returns (updates done, validation loss, accuracy)."""
    rng = np.random.default_rng(seed)
    model = SequenceModel("lstm", 2, 8, 2, rng, loss="xent", dtype=np.float32, forget_bias=5.0, truncate=k)
    hist = train.train(model, lambda: tasks.latch_task(32, T, rng), 500, optimizer=optim.Adam(model.params, lr=0.01),
                       val=val, eval_every=50, target=0.05, progress=False)
    return hist.steps[-1], hist.final_val_loss, float(np.mean(model.predict(val[0]).argmax(-1) == val[1]))


def run(k, steps, seed, val):
    """Train one LSTM with truncation k; returns (model, history)."""
    rng = np.random.default_rng(seed)
    model = SequenceModel("lstm", 2, HIDDEN, 1, rng, dtype=np.float32, truncate=k)
    hist = train.train(model, lambda: tasks.adding_problem(BATCH, T, rng), steps,
                       optimizer=optim.Adam(model.params, lr=LR), clip=1.0, val=val, eval_every=100,
                       progress=False)
    return model, hist


def cost(k, repeats=30):
    """Median seconds per update (loss and gradients) and the bytes of the cache backward reads."""
    rng = np.random.default_rng(0)
    model = SequenceModel("lstm", 2, HIDDEN, 1, rng, dtype=np.float32, truncate=k)
    x, y = tasks.adding_problem(BATCH, T, rng)
    times = []
    with threadpool_limits(limits=1, user_api="blas"):
        for _ in range(repeats):
            start = time.perf_counter()
            model.loss_and_grads(x, y)
            times.append(time.perf_counter() - start)
    _, cache = lstm.forward(model.cell_params, x[:, -k:].astype(np.float32))
    return statistics.median(times), sum(a.nbytes for a in cache if isinstance(a, np.ndarray))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--budget", type=int, default=1200)
    ap.add_argument("--seeds", type=int, default=5)
    args = ap.parse_args()
    latch_val = tasks.latch_task(500, T, np.random.default_rng(99))
    print(f"latch, T = {T}, LSTM H = 8, forget bias 5, at most 500 updates (chance: loss ln 2 = 0.693, accuracy 50 %)")
    for k in KS:
        rows = [run_latch(k, seed, latch_val) for seed in range(args.seeds)]
        print(f"k = {k:3d}: " + "; ".join(f"{n} updates, loss {loss:.3f}, {acc:.1%}" for n, loss, acc in rows),
              flush=True)
    val = tasks.adding_problem(500, T, np.random.default_rng(99))
    own = float(val[1].var())
    print(f"adding problem, T = {T}, LSTM H = {HIDDEN}, {args.budget} updates; baseline (the validation set's own "
          f"best constant) {own:.4f}")
    finals = {k: [] for k in KS}
    for seed in range(args.seeds):
        for k in KS:
            _, hist = run(k, args.budget, seed, val)
            passed = next((s for s, v in zip(hist.val_steps, hist.val_loss) if v < TARGET), None)
            finals[k].append(hist.final_val_loss)
            print(f"seed {seed}  k = {k:3d}: final validation MSE {hist.final_val_loss:.4f} "
                  f"({hist.final_val_loss / own:.2f} × baseline), below {TARGET} first at {passed}", flush=True)
    for k in KS:
        v = finals[k]
        print(f"k = {k:3d}: final MSE median {statistics.median(v):.4f}, from {min(v):.4f} to {max(v):.4f}")
    base = cost(T)
    for k in KS:
        seconds, nbytes = cost(k)
        print(f"k = {k:3d}: {seconds * 1e3:.2f} ms per update ({seconds / base[0]:.2f} × k = {T}), "
              f"cache {nbytes / 1024:.0f} KiB ({nbytes / base[1]:.2f} × k = {T})")


if __name__ == "__main__":
    main()
