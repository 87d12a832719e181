"""Chapter 03's exercises: apply_gate and cell_update, with their catalogues.

predict_conveyor's catalogue is with the other predictions (tests/test_exercises_predictions.py)."""
import numpy as np

from lstm_helpers import exercises as ex, lstm


def sig(z):
    return 1 / (1 + np.exp(-z))


def forced(f, i, g, c):
    """Asks the package for the update: what the exercise rebuilds."""
    B, H = np.shape(c)
    return lstm.step(lstm.init_params(1, H, np.random.default_rng(0)), np.zeros((B, 1)), np.zeros((B, H)), c,
                     force={"f": f, "i": i, "g": g}).c


def gate_by_step(v, z):
    """Asks the package for the gate: a forget gate whose pre-activation is x_t = z, on C_{t-1} = v, nothing written."""
    z2 = np.atleast_2d(z)
    B, H = z2.shape
    p = lstm.init_params(H, H, np.random.default_rng(0))
    p["W_f"][:] = np.hstack([np.zeros((H, H)), np.eye(H)])
    p["b_f"][:] = 0.0
    c = lstm.step(p, z2, np.zeros((B, H)), np.atleast_2d(v), force={"i": 0.0}).c
    return c.reshape(np.shape(v))


CATALOGUE = {
    "apply_gate": [
        ("tanh", lambda v, z: np.tanh(z) * v, "not tanh"),
        ("no sigmoid", lambda v, z: z * v, "not z itself"),
        ("added", lambda v, z: sig(z) + v, "multiplies pointwise"),
        ("arguments swapped", lambda v, z: sig(v) * z, "the sigmoid acts on z"),
        ("sigmoid of the product", lambda v, z: sig(z * v), "acts on z alone"),
        ("the gate alone", lambda v, z: sig(z), "not the gate alone"),
        ("the sign lost", lambda v, z: 1 / (1 + np.exp(z)) * v, "mind the sign"),
        ("ReLU", lambda v, z: np.maximum(z, 0) * v, "not a ReLU"),
        ("matrix product", lambda v, z: v @ sig(z).T, "shape"),
        ("clipped instead", lambda v, z: np.clip(z, 0, 1) * v, "wrong values"),
        ("calls the package", gate_by_step, "lstm.step is what you are rebuilding"),
    ],
    "cell_update": [
        ("f and i swapped", lambda f, i, g, c: i * c + f * g, "f_t and i_t are swapped"),
        ("no forget gate", lambda f, i, g, c: c + i * g, "scaled by the forget gate"),
        ("no input gate", lambda f, i, g, c: f * c + g, "scaled by the input gate"),
        ("no candidate", lambda f, i, g, c: f * c + i, "times the candidate"),
        ("multiplied", lambda f, i, g, c: f * c * i * g, "added, not multiplied"),
        ("squashed", lambda f, i, g, c: np.tanh(f * c + i * g), "not squashed"),
        ("forgotten fraction", lambda f, i, g, c: (1 - f) * c + i * g, "fraction kept"),
        ("coupled gates", lambda f, i, g, c: f * c + (1 - f) * g, "its own gate i_t"),
        ("tanh twice", lambda f, i, g, c: f * c + i * np.tanh(g), "second tanh"),
        ("subtracted", lambda f, i, g, c: f * c - i * g, "not subtracted"),
        ("calls the package", forced, "lstm.step is what you are rebuilding"),
        ("matrix products", lambda f, i, g, c: f @ c.T + i @ g.T, "shape"),
    ],
}


def test_reasonable_variants_of_correct_answers_pass():
    assert ex.check("apply_gate", lambda v, z: v / (1 + np.exp(-z)))
    assert ex.check("apply_gate", lambda v, z: v * (0.5 + 0.5 * np.tanh(z / 2)))  # the same sigmoid
    assert ex.check("cell_update", lambda f, i, g, c: np.add(np.multiply(f, c), np.multiply(i, g)))
