"""The model answers of the course's exercises, kept out of the student package.

`pip install lstm_helpers` (a hub image, a student's own install) brings no model answers:
`exercises.solution(name)` prints them only where this package is installed too (`python course.py lab`
installs it for a self-learner on their own machine; an instructor can leave it out of a class's set-up).
Each answer is the text `exercises.solution(name)` prints, and it passes `exercises.check(name, ...)`
(tests/test_exercises.py).
"""

SOLUTIONS = {
    # chapter 00
    "sequence_shapes": (
        "answer = {\"part-of-speech tagging\": \"many-to-many (aligned)\",\n"
        "          \"summarising a news article\": \"many-to-many (unaligned)\",\n"
        "          \"the genre of a song\": \"many-to-one\",\n"
        "          \"a melody from one mood\": \"one-to-many\",\n"
        "          \"the price of a house\": \"one-to-one\",\n"
        "          \"text-to-speech\": \"many-to-many (unaligned)\",\n"
        "          \"tomorrow's temperature\": \"many-to-one\",\n"
        "          \"an abnormal heartbeat, second by second\": \"many-to-many (aligned)\"}"),
    "door_open": (
        "def door_open(events):\n"
        "    state, out = 0, []\n"
        "    for e in events:\n"
        "        if e == 1:\n"
        "            state = 1      # write\n"
        "        elif e == -1:\n"
        "            state = 0      # erase\n"
        "        out.append(state)\n"
        "    return np.array(out)"),
    "predict_state_size": "prediction = 1",
    # chapter 01
    "rnn_forward": (
        "def rnn_forward(W, b, xs, h0):\n"
        "    B, T, D = xs.shape\n"
        "    h, hs = h0, []\n"
        "    for t in range(1, T + 1):\n"
        "        hx = np.concatenate([h, xs[:, t - 1]], axis=1)  # (B, H+D): hidden state first\n"
        "        h = np.tanh(hx @ W.T + b)                        # h_t, (B, H)\n"
        "        hs.append(h)\n"
        "    return np.stack(hs, axis=1)                          # (B, T, H)"),
    "stacked_rnn_param_count": (
        "def stacked_rnn_param_count(D, H, L):\n"
        "    first = H * (H + D) + H          # reads x_t: D inputs\n"
        "    above = H * (H + H) + H          # reads the h_t of the layer below: H inputs\n"
        "    return first + (L - 1) * above"),
    "to_input_first": (
        "def to_input_first(W, H):\n"
        "    W_h, W_x = W[:, :H], W[:, H:]                   # (H, H), (H, D)\n"
        "    return np.concatenate([W_x, W_h], axis=1).T     # (D + H, H)"),
    "predict_h_shape": "prediction = (4, 7, 5)",
    # chapter 02
    "step_jacobian": (
        "def step_jacobian(W, b, x_t, h_prev):\n"
        "    H = len(h_prev)\n"
        "    h = np.tanh(W[:, :H] @ h_prev + W[:, H:] @ x_t + b)\n"
        "    return (1 - h**2)[:, None] * W[:, :H]  # diag(1 - h^2) W_h"),
    "clip": (
        "def clip(grads, max_norm):\n"
        "    norm = np.sqrt(sum(np.sum(g**2) for g in grads.values()))\n"
        "    scale = min(1.0, max_norm / norm)\n"
        "    return {k: g * scale for k, g in grads.items()}"),
    "predict_bound": "prediction = 21  # 0.8^20 = 0.0115 is still above 0.01; 0.8^21 = 0.0092 is below",
    # chapter 03
    "apply_gate": (
        "def apply_gate(v, z):\n"
        "    return 1 / (1 + np.exp(-z)) * v"),
    "cell_update": (
        "def cell_update(f, i, g, c_prev):\n"
        "    return f * c_prev + i * g"),
    "predict_conveyor": "prediction = 0.7 * 0.99 ** 50  # 0.42: even f = 0.99 loses nearly 40 % of C_0 over 50 steps",
    # chapter 04
    "forget_gates": (
        "def forget_gates(W_f, b_f, xs, h_prevs):\n"
        "    hx = np.concatenate([h_prevs, xs], axis=-1)      # (B, T, H + D), hidden state first\n"
        "    return 1 / (1 + np.exp(-(hx @ W_f.T + b_f)))      # (B, T, H)"),
    "steps_to_forget": (
        "def steps_to_forget(b_f):\n"
        "    f = 1 / (1 + np.exp(-b_f))\n"
        "    return int(np.ceil(np.log(0.01) / np.log(f)))"),
    "predict_survival": "prediction = (1 / (1 + np.exp(-2.0))) ** 10",
    # chapter 05
    "written": (
        "def written(W, b, x_t, h_prev):\n"
        "    H = h_prev.shape[1]\n"
        "    hx = np.concatenate([h_prev, x_t], axis=1)      # (B, H + D)\n"
        "    z = hx @ W.T + b                                 # (B, 2H): the input gate's H, then the candidate's H\n"
        "    i_t = 1 / (1 + np.exp(-z[:, :H]))               # (B, H), in (0, 1)\n"
        "    g_t = np.tanh(z[:, H:])                          # (B, H), in (-1, 1)\n"
        "    return i_t * g_t                                 # (B, H)"),
    "cell_state": (
        "def cell_state(p, x_t, h_prev, c_prev):\n"
        "    hx = np.concatenate([h_prev, x_t], axis=1)                # (B, H + D)\n"
        "    sigmoid = lambda z: 1 / (1 + np.exp(-z))\n"
        "    f = sigmoid(hx @ p[\"W_f\"].T + p[\"b_f\"])\n"
        "    i = sigmoid(hx @ p[\"W_i\"].T + p[\"b_i\"])\n"
        "    g = np.tanh(hx @ p[\"W_c\"].T + p[\"b_c\"])\n"
        "    return f * c_prev + i * g                                   # (B, H)"),
    "predict_accumulate": "prediction = 2.0",
    # chapter 06
    "hidden_states": (
        "def hidden_states(W_o, b_o, xs, h0, cs):\n"
        "    h, hs = h0, []\n"
        "    for t in range(xs.shape[1]):                                # row t is step t + 1\n"
        "        hx = np.concatenate([h, xs[:, t]], axis=1)              # (B, H + D)\n"
        "        o = 1 / (1 + np.exp(-(hx @ W_o.T + b_o)))               # (B, H)\n"
        "        h = o * np.tanh(cs[:, t])                               # (B, H), fed back\n"
        "        hs.append(h)\n"
        "    return np.stack(hs, axis=1)                                 # (B, T, H)"),
    "lstm_step_fused": (
        "def lstm_step_fused(W, b, x_t, h_prev, c_prev):\n"
        "    H = h_prev.shape[1]\n"
        "    z = np.concatenate([h_prev, x_t], axis=1) @ W.T + b   # (B, 4H): one matrix product\n"
        "    sigmoid = lambda a: 1 / (1 + np.exp(-a))\n"
        "    f, i, o = sigmoid(z[:, :H]), sigmoid(z[:, H:2 * H]), sigmoid(z[:, 2 * H:3 * H])  # (B, H) each\n"
        "    g = np.tanh(z[:, 3 * H:])                              # (B, H), the candidate\n"
        "    c_t = f * c_prev + i * g\n"
        "    return o * np.tanh(c_t), c_t"),
    "pytorch_lstm_param_count": (
        "def pytorch_lstm_param_count(D, H, L):\n"
        "    first = 4 * (H * (D + H) + 2 * H)       # reads x_t: D inputs\n"
        "    above = 4 * (H * (H + H) + 2 * H)       # reads the h_t of the layer below: H inputs\n"
        "    return first + (L - 1) * above"),
    "predict_h": "prediction = 0.5",
    # chapter 07
    "cell_path_gradient": (
        "def cell_path_gradient(f):\n"
        "    T, H = f.shape\n"
        "    out = np.ones((T, H))           # row t - 1 holds dC_T/dC_t; row T - 1 is 1\n"
        "    for t in range(T - 1, 0, -1):   # steps t = T - 1, ..., 1\n"
        "        out[t - 1] = out[t] * f[t]  # dC_T/dC_t = dC_T/dC_(t+1) * f_(t+1), f_(t+1) = f[t]\n"
        "    return out"),
    "from_pytorch": (
        "def from_pytorch(state):\n"
        "    W = np.concatenate([state[\"weight_hh_l0\"], state[\"weight_ih_l0\"]], axis=1)  # (4H, H + D)\n"
        "    b = state[\"bias_ih_l0\"] + state[\"bias_hh_l0\"]                               # (4H,)\n"
        "    H = W.shape[0] // 4\n"
        "    p = {}\n"
        "    for k, g in enumerate([\"i\", \"f\", \"c\", \"o\"]):  # PyTorch's order; its g is our c\n"
        "        p[\"W_\" + g], p[\"b_\" + g] = W[k * H:(k + 1) * H], b[k * H:(k + 1) * H]  # (H, H + D), (H,)\n"
        "    return p"),
    "predict_winner": "prediction = \"LSTM\"",
    # chapter 08
    "rnn_step_backward": (
        "def rnn_step_backward(dh, W, x_t, h_prev, h_t):\n"
        "    H = h_prev.shape[1]\n"
        "    da = dh * (1 - h_t ** 2)                    # (B, H) through tanh\n"
        "    hx = np.concatenate([h_prev, x_t], axis=1)  # (B, H + D)\n"
        "    dW = da.T @ hx                              # (H, H + D)\n"
        "    db = da.sum(axis=0)                         # (H,)\n"
        "    dh_prev = da @ W[:, :H]                     # (B, H)\n"
        "    dx = da @ W[:, H:]                          # (B, D)\n"
        "    return dW, db, dh_prev, dx"),
    "lstm_step_backward": (
        "def lstm_step_backward(dh, dc, p, x_t, h_prev, c_prev, s):\n"
        "    H = h_prev.shape[1]\n"
        "    tc = np.tanh(s.c)                                    # (B, H)\n"
        "    do = dh * tc                                         # (B, H)\n"
        "    dC = dc + dh * s.o * (1 - tc ** 2)                   # (B, H): both sources\n"
        "    df, di, dg = dC * c_prev, dC * s.g, dC * s.i         # (B, H) each\n"
        "    dz = {\"f\": df * s.f * (1 - s.f), \"i\": di * s.i * (1 - s.i),\n"
        "          \"c\": dg * (1 - s.g ** 2), \"o\": do * s.o * (1 - s.o)}  # pre-activations, (B, H) each\n"
        "    hx = np.concatenate([h_prev, x_t], axis=1)           # (B, H + D)\n"
        "    grads, dh_prev = {}, np.zeros_like(h_prev)\n"
        "    for k in (\"f\", \"i\", \"c\", \"o\"):\n"
        "        grads[\"W_\" + k] = dz[k].T @ hx                   # (H, H + D)\n"
        "        grads[\"b_\" + k] = dz[k].sum(axis=0)              # (H,)\n"
        "        dh_prev = dh_prev + dz[k] @ p[\"W_\" + k][:, :H]    # (B, H)\n"
        "    return grads, dh_prev, dC * s.f"),
    "temperature_probs": (
        "def temperature_probs(logits, temperature):\n"
        "    z = logits / temperature                       # (..., V)\n"
        "    z = z - z.max(axis=-1, keepdims=True)          # the largest entry of each row is 0\n"
        "    e = np.exp(z)                                  # (..., V)\n"
        "    return e / e.sum(axis=-1, keepdims=True)"),
    "predict_eps": "prediction = \"1e-5\"",
    # chapter 09
    "gru_step": (
        "def gru_step(q, x_t, h_prev):\n"
        "    hx = np.concatenate([h_prev, x_t], axis=1)                 # (B, H + D)\n"
        "    z = 1 / (1 + np.exp(-(hx @ q[\"W_z\"].T + q[\"b_z\"])))        # (B, H) update gate\n"
        "    r = 1 / (1 + np.exp(-(hx @ q[\"W_r\"].T + q[\"b_r\"])))        # (B, H) reset gate\n"
        "    rhx = np.concatenate([r * h_prev, x_t], axis=1)            # (B, H + D)\n"
        "    n = np.tanh(rhx @ q[\"W_n\"].T + q[\"b_n\"])                   # (B, H) candidate\n"
        "    return z * h_prev + (1 - z) * n                            # (B, H)"),
    "gru_from_pytorch": (
        "def gru_from_pytorch(state):\n"
        "    W = np.concatenate([state[\"weight_hh_l0\"], state[\"weight_ih_l0\"]], axis=1)  # (3H, H + D)\n"
        "    b_ih, b_hh = state[\"bias_ih_l0\"], state[\"bias_hh_l0\"]                         # (3H,) each\n"
        "    H = W.shape[0] // 3\n"
        "    q = {}\n"
        "    for k, g in enumerate([\"r\", \"z\", \"n\"]):                   # PyTorch's order\n"
        "        q[\"W_\" + g] = W[k * H:(k + 1) * H]                      # (H, H + D)\n"
        "        q[\"b_\" + g] = b_ih[k * H:(k + 1) * H]                   # (H,)\n"
        "    q[\"b_r\"] = q[\"b_r\"] + b_hh[:H]                             # r and z: the two biases add up\n"
        "    q[\"b_z\"] = q[\"b_z\"] + b_hh[H:2 * H]\n"
        "    q[\"b_hn\"] = b_hh[2 * H:]                                    # (H,) multiplied by r: kept apart\n"
        "    return q"),
    "bidirectional_summary": (
        "def bidirectional_summary(out):\n"
        "    H = out.shape[2] // 2\n"
        "    forward_last = out[:, -1, :H]    # (B, H): the forward direction after x_1 ... x_T\n"
        "    backward_last = out[:, 0, H:]    # (B, H): the backward direction after x_T ... x_1\n"
        "    return np.concatenate([forward_last, backward_last], axis=1)  # (B, 2H)"),
    # chapter 10
    "padding_mask": (
        "def padding_mask(lengths, T):\n"
        "    lengths = np.asarray(lengths)               # (B,) ints; a list works too\n"
        "    steps = np.arange(T)                        # (T,): t = 0 ... T - 1\n"
        "    real = steps[None, :] < lengths[:, None]    # (B, T): True at the real steps\n"
        "    return real.astype(float)                   # (B, T): 1.0 real, 0.0 padding"),
    "last_real_state": (
        "def last_real_state(hs, lengths):\n"
        "    rows = np.arange(hs.shape[0])          # (B,): 0 ... B - 1\n"
        "    last = np.asarray(lengths) - 1         # (B,): each sequence's last real step, 0-based\n"
        "    return hs[rows, last]                  # (B, H): row b is hs[b, lengths[b] - 1]"),
    "bidirectional_final": (
        "def bidirectional_final(out, lengths):\n"
        "    H = out.shape[2] // 2\n"
        "    rows = np.arange(out.shape[0])                      # (B,)\n"
        "    forward = out[rows, np.asarray(lengths) - 1, :H]    # (B, H): after x_1 ... x_{lengths[b]}\n"
        "    backward = out[:, 0, H:]                            # (B, H): after x_{lengths[b]} ... x_1\n"
        "    return np.concatenate([forward, backward], axis=1)  # (B, 2H)"),
}


def leaked(text):
    """The exercises whose model answer appears in ``text`` (a package's or a folder's files): the longest
    line of each written function's body (its `def` line is the template's), and of chapter 00's labels.
    A prediction is left out: the cell after it computes its value for everyone to see."""
    lines = {name: max((line.strip() for line in answer.splitlines() if not line.startswith("def ")), key=len)
             for name, answer in SOLUTIONS.items() if not answer.startswith("prediction")}
    assert len(lines) >= 25, "most answers are written functions"
    return [name for name, line in lines.items() if line in text]
