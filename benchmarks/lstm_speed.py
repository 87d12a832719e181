"""Forward + backward time of lstm_helpers.lstm per batch, float32, one BLAS thread.

Compared, in the same run, with
  (a) the same math done naively: four gate matmuls per step, the input
      projected step by step, the weight gradients accumulated per step;
  (b) PyTorch's CPU torch.nn.LSTM, when torch is importable (never a dependency
      of the course; `pip install torch==2.13.0` on our machines).
Before timing, all three are checked to compute the same h and gradients.

    python benchmarks/lstm_speed.py [--repeats N]

Prints the median milliseconds of each and the ratios ours/naive and ours/torch
(below 1 means ours is faster). Then, for lstm.backward's weight gradients, one
product over all steps after the loop against a product per step inside it; and the cost per element of numpy's float32 exp, tanh
and multiply, and what the exp and tanh passes of one forward pass take at each size:
numpy's exp and tanh are elementwise passes of their own, where PyTorch fuses a cell's
elementwise work into one vectorised loop.
"""
import argparse
import statistics
import time
import timeit

import numpy as np
from threadpoolctl import threadpool_limits

from lstm_helpers import frameworks, lstm
from lstm_helpers.activations import sigmoid

SIZES = [(1, 100, 8, 32), (32, 100, 8, 64), (32, 200, 64, 128), (64, 50, 128, 256)]
GOALS = {(1, 100, 8, 32): 3.0, (32, 100, 8, 64): 1.2}  # ours / torch at most (issue 11)


def naive_forward_backward(p, x, dh):
    """The textbook loop: per step, four separate gate matmuls on [h, x]; per step, dW += dz^T [h, x]."""
    B, T, D = x.shape
    H = p["b_f"].shape[0]
    h, c = np.zeros((B, H), x.dtype), np.zeros((B, H), x.dtype)
    steps = []
    for t in range(T):
        hx = np.concatenate([h, x[:, t]], axis=1)            # (B, H+D)
        f = sigmoid(hx @ p["W_f"].T + p["b_f"])
        i = sigmoid(hx @ p["W_i"].T + p["b_i"])
        g = np.tanh(hx @ p["W_c"].T + p["b_c"])
        o = sigmoid(hx @ p["W_o"].T + p["b_o"])
        c_prev, c = c, f * c + i * g
        tc = np.tanh(c)
        h = o * tc
        steps.append((hx, f, i, g, o, c_prev, tc, h))
    grads = {k: np.zeros_like(v) for k, v in p.items()}
    dh_next, dc = np.zeros((B, H), x.dtype), np.zeros((B, H), x.dtype)
    for t in range(T - 1, -1, -1):
        hx, f, i, g, o, c_prev, tc, h = steps[t]
        dht = dh[:, t] + dh_next
        dc = dc + dht * o * (1 - tc ** 2)
        dzs = {"f": dc * c_prev * f * (1 - f), "i": dc * g * i * (1 - i),
               "c": dc * i * (1 - g ** 2), "o": dht * tc * o * (1 - o)}
        dhx = np.zeros_like(hx)
        for gate, dz in dzs.items():
            grads[f"W_{gate}"] += dz.T @ hx
            grads[f"b_{gate}"] += dz.sum(0)
            dhx += dz @ p[f"W_{gate}"]
        dh_next, dc = dhx[:, :H], dc * f
    return steps[-1][-1], grads


def ours_forward_backward(p, x, dh):
    """Like torch below, no gradient for the input (its x does not require one)."""
    out, cache = lstm.forward(p, x)
    return out.h[:, -1], lstm.backward(dh, cache, input_grad=False)


def torch_setup(p, D, H):
    import torch
    torch.set_num_threads(1)
    net = torch.nn.LSTM(D, H, batch_first=True)
    net.load_state_dict({k: torch.from_numpy(v) for k, v in frameworks.to_pytorch(p).items()})

    def run(x, dh):
        xt = torch.from_numpy(x)
        out, _ = net(xt)
        net.zero_grad()
        out.backward(torch.from_numpy(dh))
        W_hh = net.weight_hh_l0.grad.numpy()
        return out[:, -1].detach().numpy(), {"W_f": W_hh[H:2 * H]}
    return run


def median_ms(fns, repeats):
    """Median milliseconds of each function, timed in interleaved rounds.

    Interleaving spreads the machine's slow moments (a shared VM) over all the
    contenders alike, so the ratios are steadier than the times.
    """
    for fn in fns:
        fn()  # warm-up
    times = [[] for _ in fns]
    for _ in range(repeats):
        for fn, ts in zip(fns, times):
            t0 = time.perf_counter()
            fn()
            ts.append(time.perf_counter() - t0)
    return [1e3 * statistics.median(ts) for ts in times]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=15)
    args = ap.parse_args()
    try:
        import torch
        torch_version = torch.__version__
    except ImportError:
        torch_version = None
    rng = np.random.default_rng(0)
    print(f"float32, 1 BLAS thread, median of {args.repeats} runs of forward+backward; "
          f"torch: {torch_version or 'not installed'}")
    print(f"{'(B, T, D, H)':>20} {'ours ms':>9} {'naive ms':>9} {'torch ms':>9} "
          f"{'ours/naive':>11} {'ours/torch':>11} {'goal':>6}")
    with threadpool_limits(limits=1):
        for B, T, D, H in SIZES:
            p = lstm.init_params(D, H, rng, dtype=np.float32)
            x = rng.standard_normal((B, T, D)).astype(np.float32)
            dh = rng.standard_normal((B, T, H)).astype(np.float32)
            h_ours, g_ours = ours_forward_backward(p, x, dh)
            h_naive, g_naive = naive_forward_backward(p, x, dh)
            # float32 sums in another order: agreement to about 1e-5 relative (DESIGN.md)
            np.testing.assert_allclose(h_ours, h_naive, rtol=1e-5, atol=1e-4)
            for k in g_ours:
                if k in g_naive:
                    np.testing.assert_allclose(g_ours[k], g_naive[k], rtol=1e-4, atol=1e-3)
            fns = [lambda: ours_forward_backward(p, x, dh), lambda: naive_forward_backward(p, x, dh)]
            if torch_version:
                run = torch_setup(p, D, H)
                h_t, g_t = run(x, dh)
                np.testing.assert_allclose(h_ours, h_t, rtol=1e-5, atol=1e-4)
                np.testing.assert_allclose(g_ours["W_f"][:, :H], g_t["W_f"], rtol=1e-4, atol=1e-3)
                fns.append(lambda: run(x, dh))
            ms = median_ms(fns, args.repeats)
            ours, naive = ms[0], ms[1]
            row = f"{str((B, T, D, H)):>20} {ours:9.2f} {naive:9.2f} "
            if torch_version:
                goal = GOALS.get((B, T, D, H))
                row += f"{ms[2]:9.2f} {ours / naive:11.2f} {ours / ms[2]:11.2f} {goal or '':>6}"
            else:
                row += f"{'-':>9} {ours / naive:11.2f} {'-':>11}"
            print(row, flush=True)
        weight_gradient_costs(args.repeats)
        transcendental_costs(args.repeats)


def weight_gradient_costs(repeats):
    """sum_t dz_t [h_{t-1}, x_t]^T: one product after the loop (lstm.backward) against one per step, (4H, B) layout."""
    rng = np.random.default_rng(2)
    print("\nweight gradients of all steps, ms: one product after the loop / a product per step")
    for B, T, D, H in SIZES:
        dZ = rng.standard_normal((T, 4 * H, B)).astype(np.float32)    # as lstm.backward keeps them
        Hs = rng.standard_normal((T + 1, H, B)).astype(np.float32)
        xs = rng.standard_normal((T, B, D)).astype(np.float32)

        def after():
            dZ2 = dZ.transpose(0, 2, 1).reshape(T * B, 4 * H)
            return dZ2.T @ Hs[:T].transpose(0, 2, 1).reshape(T * B, H), dZ2.T @ xs.reshape(T * B, D)

        def per_step():
            dWh, dWx = np.zeros((4 * H, H), np.float32), np.zeros((4 * H, D), np.float32)
            for t in range(T):
                dWh += dZ[t] @ Hs[t].T
                dWx += dZ[t] @ xs[t]
            return dWh, dWx

        for a, b in zip(after(), per_step()):
            np.testing.assert_allclose(a, b, rtol=1e-3, atol=1e-3)
        ms = median_ms([after, per_step], repeats)
        print(f"{str((B, T, D, H)):>20}: {ms[0]:8.2f} / {ms[1]:8.2f}")


def transcendental_costs(repeats):
    """ns per element of exp, tanh and multiply on float32, and the exp + tanh time of one forward pass per size."""
    z = np.random.default_rng(1).standard_normal(6144).astype(np.float32)
    out = np.empty_like(z)
    ops = {"exp": lambda: np.exp(z, out=out), "tanh": lambda: np.tanh(z, out=out),
           "multiply": lambda: np.multiply(z, z, out=out)}
    rounds = {name: min(timeit.repeat(fn, number=200, repeat=max(3, repeats // 3))) / 200 / z.size
              for name, fn in ops.items()}
    print("\nnumpy float32, ns per element (6144 elements): "
          + ", ".join(f"{name} {1e9 * t:.2f}" for name, t in rounds.items()))
    for B, T, D, H in SIZES:   # per step: exp over the 3 sigmoid gates, tanh over the candidate and over C_t
        ms = 1e3 * B * T * (3 * H * rounds["exp"] + 2 * H * rounds["tanh"])
        print(f"{str((B, T, D, H)):>20}: exp and tanh passes of one forward pass about {ms:.2f} ms")


if __name__ == "__main__":
    main()
