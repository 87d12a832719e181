"""Interactive explorers for the chapters (ipywidgets). Wiring only: the math is lstm, gru, rnn, gradflow, gradcheck.

GateExplorer          one LSTM step with sliders for the inputs, weights and biases, and gates
                      that can be forced by hand; the live cell diagram and a readout.
GRUExplorer           the same for one GRU step, in Cho's form or PyTorch's (reset after).
SequenceStepper       an LSTM (or RNN) over a short sequence: step t by t (t = 1 ... T), heatmaps
                      of the input, gates and states over time, and the live cell at step t.
GradientFlowExplorer  ||dh_T/dh_t|| against the distance T - t for an RNN and an LSTM on the
                      same footing (one slider for rho of every recurrent block, one for the
                      forget bias); for the LSTM also the cell path alone, the product of f.
GradientCheckExplorer the relative error of a central-difference gradient check against the step
                      eps, float64 and float32 (log-log): truncation on the right, round-off on the left.
SampleExplorer        the text a trained character model writes after a prime, at the temperature on the
                      slider (each temperature with its own fixed generator: the same text every time).

Each one is a VBox that owns its controls and its display, works with no arguments
(a default demo) and shows any error of its callbacks in an Output below it.
Displays are PNG bytes assigned to an ipywidgets.Image: no flicker, no clear_output,
the same in JupyterLab, Notebook 7 and Voila.
"""
import dataclasses
import html
import traceback

import ipywidgets as W
import numpy as np

from . import charlm, diagrams, gradflow, gru, i18n, lstm, plots, rnn
from .activations import sigmoid
from .i18n import tr

# Every text shown comes from lstm_helpers/texts/widgets.toml, looked up when shown (tr): these tables hold keys.
GATE_NAMES = {"f": "gate_f", "i": "gate_i", "g": "gate_g", "o": "gate_o"}  # "forget gate f", ...
TAB_TITLES = {"f": "tab_f", "i": "tab_i", "g": "tab_g", "o": "tab_o"}  # "f: forget", ...: short, six tabs fit
PARAM_OF_GATE = {"f": "f", "i": "i", "g": "c", "o": "o"}  # the candidate's weights are W_c, b_c


def _one(record, k=0):
    """Example k of a batched LSTMRecord, each field (H,)."""
    return lstm.LSTMRecord(*(np.asarray(a)[k] for a in record))


def _entry(key):
    """'W_f[0,2]' -> ('W_f', (0, 2)): a slider's key as a parameter name and index."""
    name, _, index = key.partition("[")
    return name, tuple(int(i) for i in index.rstrip("]").split(","))


def _slider(value, lo, hi, description, step=0.01):
    return W.FloatSlider(value=float(np.clip(value, lo, hi)), min=lo, max=hi, step=step, description=description,
                         continuous_update=True, readout_format=".2f", style={"description_width": "initial"},
                         layout=W.Layout(width="300px"))


class _Explorer(W.VBox):
    """Shared plumbing: an Output that shows errors raised in callbacks, never swallowing them."""

    def _init_errors(self):
        self.errors = W.Output(layout=W.Layout(border="0"))
        self.last_error = None

    def _guarded(self, fn):
        def run(*_):
            try:
                fn()
            except Exception as exc:  # shown to the student, kept for tests
                self.last_error = exc
                self.errors.outputs = ()
                self.errors.append_stderr("".join(traceback.format_exception_only(type(exc), exc)))
            else:
                if self.last_error is not None:
                    self.last_error = None
                    self.errors.outputs = ()
        return run


def default_gate_params():
    """The GateExplorer's starting point: one input, one unit, hand-picked weights (D = H = 1)."""
    return {"W_f": np.array([[0.5, 0.8]]), "b_f": np.array([1.0]),
            "W_i": np.array([[0.4, 1.5]]), "b_i": np.array([0.0]),
            "W_c": np.array([[0.6, 1.2]]), "b_c": np.array([0.0]),
            "W_o": np.array([[0.7, 0.5]]), "b_o": np.array([0.5])}


START = "start"  # the preset that puts back the weights the explorer started with
PRESETS = {  # gate -> bias; the gate's weights go to 0, so it is about 0 (bias -6) or 1 (+6) whatever the input
    "remember": {"f": 6.0, "i": -6.0},              # C_t ≈ C_{t-1}
    "forget": {"f": -6.0, "i": -6.0},               # C_t ≈ 0
    "overwrite": {"f": -6.0, "i": 6.0},             # C_t ≈ C̃_t
    "accumulate": {"f": 6.0, "i": 6.0},             # C_t ≈ C_{t-1} + C̃_t
    "read out": {"f": 6.0, "i": -6.0, "o": 6.0},    # remember, and o ≈ 1: h_t ≈ tanh(C_{t-1})
}
FORCE_DEFAULTS = {"f": 1.0, "i": 0.0, "g": 0.0, "o": 0.0}  # where the "force ... to" sliders start


def _preset_label(name):
    """The name of preset ``name`` ("read out") on its button, in the reader's language."""
    return tr(f"widgets.preset_{name.replace(' ', '_')}")


class _StepExplorer(_Explorer):
    """What the one-step explorers share: a slider per input and per weight (keyed like 'W_f[0,1]'), a tab
    of weights per gate, gates forced by hand, presets that pin gates, and ``reset all``.

    A subclass sets the tables below, builds its controls with the helpers, keeps ``params``, ``force``,
    ``start_params``, ``start_inputs`` and ``start_force``, and renders in ``_render``.
    """
    PRESETS = {}          # preset -> {gate: bias}: the gate's weights go to 0, its bias to +-6
    FORCE_DEFAULTS = {}   # gate -> where its "force ... to" slider starts (the gates that can be forced)
    FORCE_RANGES = {}     # gate -> the range of its force slider
    GATE_NAMES = {}       # gate -> the key (in texts/widgets.toml) of its name on the force controls
    TAB_TITLES = {}       # gate -> the key of the title of its tab of weights
    PARAM_OF_GATE = {}    # gate -> the letter of its parameters (the LSTM's candidate g has W_c, b_c)

    def _add(self, key, slider):
        self.sliders[key] = slider
        return slider

    @staticmethod
    def _idx(k, n):
        return "₀₁₂₃"[k] if n > 1 else ""

    def _weight_tab(self, gate, params, H, D):
        """The sliders of one gate's weights and bias, one row of W and its bias per unit."""
        idx, p = self._idx, self.PARAM_OF_GATE[gate]
        rows = []
        for r in range(H):
            for col in range(H + D):
                what = f"h{idx(col, H)}" if col < H else f"x{idx(col - H, D)}"
                rows.append(self._add(f"W_{p}[{r},{col}]", _slider(params[f"W_{p}"][r, col], -3, 3,
                                                                    f"W_{p}{idx(r, H)} · {what}")))
            rows.append(self._add(f"b_{p}[{r}]", _slider(params[f"b_{p}"][r], -6, 6, f"b_{p}{idx(r, H)}")))
        return rows

    def _force_tab(self, gates, force):
        """A checkbox and a value for each gate that can be forced."""
        self.force_boxes, self.force_values = {}, {}
        rows = []
        for gate in gates:
            if gate not in self.FORCE_DEFAULTS:
                continue
            box = W.Checkbox(value=gate in force, description=tr("widgets.force_gate",
                                                                 gate=tr(f"widgets.{self.GATE_NAMES[gate]}")),
                             indent=False, layout=W.Layout(width="170px"))
            val = _slider(force.get(gate, self.FORCE_DEFAULTS[gate]), *self.FORCE_RANGES[gate],
                          tr("widgets.force_to"))
            self.force_boxes[gate], self.force_values[gate] = box, val
            rows.append(W.HBox([box, val]))
        return W.VBox(rows)

    def _preset_bar(self, gates):
        """The presets whose gates all have a tab here, and ``reset all``, in one row."""
        self.presets = [START] + [name for name, pins in self.PRESETS.items() if set(pins) <= set(gates)]
        # each button shows its name in the reader's language; its value stays the preset's key ("remember")
        self.preset = W.ToggleButtons(options=[(_preset_label(n), n) for n in self.presets], value=START,
                                      style={"button_width": "auto"},
                                      tooltips=[tr("widgets.preset_start_tooltip")] +
                                               [tr("widgets.preset_tooltip", gates=", ".join(self.PRESETS[n]))
                                                for n in self.presets[1:]])
        self.preset.observe(self._guarded(self._apply_preset), "value")
        self.reset_button = W.Button(description=tr("widgets.reset_all"), tooltip=tr("widgets.reset_all_tooltip"),
                                     layout=W.Layout(width="auto", margin="0 0 0 24px"))  # apart: not a preset
        self.reset_button.on_click(self._guarded(self.reset))
        return W.HBox([W.Label(tr("widgets.preset")), self.preset, self.reset_button],
                      layout=W.Layout(flex_flow="row wrap", align_items="center"))

    def _observe_controls(self, params):
        """Weights, biases and force controls are edits (they deselect the preset); inputs only redraw."""
        self._update = self._guarded(self._render)
        edited = self._guarded(self._edited)
        for key, s in self.sliders.items():
            s.observe(edited if _entry(key)[0] in params else self._update, "value")
        for w in (*self.force_boxes.values(), *self.force_values.values()):
            w.observe(edited, "value")
        self._quiet = False

    def _edited(self):
        """A weight, bias or force control moved by hand: the picture is no longer the preset's."""
        if not self._quiet:
            self.preset.value = None  # no button lit: pressing any preset, the last one too, applies it
        self._render()

    def preset_params(self, name):
        """The parameters preset ``name`` sets: the starting ones, with each gate it pins at weights 0, bias +-6."""
        p = {k: v.copy() for k, v in self.start_params.items()}
        for gate, bias in ({} if name == START else self.PRESETS[name]).items():
            p[f"W_{gate}"][:] = 0.0
            p[f"b_{gate}"][:] = bias
        return p

    def _set_all(self, params, force, inputs=None):
        """Every slider and force control at once, with one redraw."""
        self._quiet = True
        try:
            for key, slider in self.sliders.items():
                name, ix = _entry(key)
                if name in params:
                    slider.value = params[name][ix]
                elif inputs is not None:
                    slider.value = inputs[name][ix]
            for name, v in params.items():  # the gates without a tab keep their starting values
                self.params[name][...] = v
            for gate, box in self.force_boxes.items():
                box.value = gate in force
                self.force_values[gate].value = force.get(gate, self.FORCE_DEFAULTS[gate])
            self._set_rest(inputs)
        finally:
            self._quiet = False
        self._render()

    def _set_rest(self, inputs):
        """Controls of a subclass that ``reset all`` puts back too (called quietly, inputs None for a preset)."""

    def _apply_preset(self):
        name = self.preset.value
        if name is None:
            return
        self._set_all(self.preset_params(name), self.start_force if name == START else {})

    def reset(self, *_):
        """Inputs, weights and forcing as the explorer started (the preset ``start`` selected)."""
        self._set_all(self.start_params, self.start_force, inputs=self.start_inputs)
        self.preset.value = START  # lights its button (applying it again changes nothing)


class GateExplorer(_StepExplorer):
    """One LSTM step, every number on the diagram, every parameter on a slider.

    Presets: ``START`` puts back the starting weights; each preset of ``PRESETS`` whose gates all have
    a tab here is offered too. A preset is a whole state, the same whatever came before: every weight and
    bias at its starting value except the gates it pins (weights 0, bias +6 or -6), and no gate forced.
    The inputs stay where the reader put them. Moving a weight, a bias or a force control deselects the
    preset, so pressing it again applies it again; ``reset all`` also puts back the inputs. Only the gates
    in ``gates`` can be changed: the others keep their starting weights and are not offered for forcing.

    Parameters
    ----------
    params : dict from lstm.init_params with H <= 2 and D <= 4, or None for the default demo
    x, h_prev, c_prev : starting inputs, shapes (D,), (H,), (H,); zeros-ish defaults
    gates : which gates get a tab of sliders and a force control (default all four)
    force : dict of gates (among ``gates``) forced from the start, e.g. {"f": 1.0}
    """
    PRESETS, FORCE_DEFAULTS, FORCE_RANGES = PRESETS, FORCE_DEFAULTS, lstm.FORCE_RANGES
    GATE_NAMES, TAB_TITLES, PARAM_OF_GATE = GATE_NAMES, TAB_TITLES, PARAM_OF_GATE

    def __init__(self, params=None, x=None, h_prev=None, c_prev=None, gates=("f", "i", "g", "o"), force=None):
        super().__init__()
        self._init_errors()
        params = default_gate_params() if params is None else {k: np.array(v, dtype=float) for k, v in
                                                                  params.items()}
        D, H = lstm.sizes(params)
        lstm.step(params, np.zeros((1, D)), np.zeros((1, H)), np.zeros((1, H)))  # checks the parameters
        if H > 2 or D > 4:
            raise ValueError(tr("widgets.too_big", name="GateExplorer", H=H, D=D))
        self.params, self.D, self.H = params, D, H
        gates = tuple(gates)
        if not gates or not set(gates) <= set(GATE_NAMES):
            raise ValueError(tr("widgets.bad_gates", choices=tuple(GATE_NAMES), gates=gates))
        force = dict(force or {})
        if not set(force) <= set(gates):
            raise ValueError(tr("widgets.bad_force", gates=gates, force=sorted(force)))
        self.gates = gates
        x = np.full(D, 0.8) if x is None else np.ravel(x)
        h_prev = np.full(H, 0.2) if h_prev is None else np.ravel(h_prev)
        c_prev = np.full(H, 1.0) if c_prev is None else np.ravel(c_prev)
        for name, v, n in (("x", x, D), ("h_prev", h_prev, H), ("c_prev", c_prev, H)):
            if v.shape != (n,):
                raise ValueError(tr("widgets.bad_entries", name=name, n=n, shape=np.shape(v)))

        self.sliders = {}
        idx = self._idx
        inputs = []
        for k in range(D):
            inputs.append(self._add(f"x[{k}]", _slider(x[k], -2, 2, f"x{idx(k, D)}")))
        for k in range(H):
            inputs.append(self._add(f"h_prev[{k}]", _slider(h_prev[k], -1, 1, f"h_t-1{idx(k, H)}")))
        for k in range(H):
            inputs.append(self._add(f"c_prev[{k}]", _slider(c_prev[k], -3, 3, f"C_t-1{idx(k, H)}")))
        tabs = [W.VBox(inputs)] + [W.VBox(self._weight_tab(gate, params, H, D)) for gate in gates]
        titles = [tr("widgets.tab_inputs")] + [tr(f"widgets.{TAB_TITLES[gate]}") for gate in gates]
        tabs.append(self._force_tab(gates, force))  # gates forced by hand: only those the reader can see
        titles.append(tr("widgets.tab_force"))
        self.tabs = W.Tab(children=tabs, titles=titles, layout=W.Layout(width="560px"))  # room for the titles
        buttons = self._preset_bar(gates)

        self.cell = diagrams.LSTMCell(hidden_size=H, input_size=D)
        self.image = W.Image(format="png", layout=W.Layout(width="720px"))
        self.readout = W.HTML()
        self._observe_controls(params)
        self._render()
        # what the presets start from: the parameters as the sliders hold them (a slider clips to its range)
        self.start_params = {k: v.copy() for k, v in self.params.items()}
        self.start_inputs = {"x": self.x.copy(), "h_prev": self.h_prev.copy(), "c_prev": self.c_prev.copy()}
        self.start_force = dict(force)
        self.children = [buttons, W.HBox([self.tabs, self.readout]), self.image, self.errors]

    def _values(self):
        D, H = self.D, self.H
        v = {k: s.value for k, s in self.sliders.items()}
        x = np.array([[v[f"x[{k}]"] for k in range(D)]])
        h = np.array([[v[f"h_prev[{k}]"] for k in range(H)]])
        c = np.array([[v[f"c_prev[{k}]"] for k in range(H)]])
        for key, value in v.items():
            name, ix = _entry(key)
            if name in self.params:
                self.params[name][ix] = value
        force = {g: self.force_values[g].value for g, box in self.force_boxes.items() if box.value}
        return x, h, c, force

    def _render(self):
        if self._quiet:
            return
        x, h, c, force = self._values()
        rec = lstm.step(self.params, x, h, c, force=force or None)
        self.x, self.h_prev, self.c_prev, self.force = x[0], h[0], c[0], force
        self.record = _one(rec)
        self.cell.update(self.x, self.h_prev, self.c_prev, self.record, forced=tuple(force))
        self.image.value = self.cell.png()
        self.readout.value = self.readout_html()

    def readout_html(self):
        """Every intermediate value of the step, as a table (4 decimals)."""
        r = self.record
        forced = {g: tr("widgets.forced") if g in self.force else "" for g in "figo"}
        rows = [("x_t", self.x), ("h_t-1", self.h_prev), ("C_t-1", self.c_prev),
                ("f_t" + forced["f"], r.f), ("i_t" + forced["i"], r.i), ("C̃_t" + forced["g"], r.g),
                ("o_t" + forced["o"], r.o),
                ("C_t = f·C_t-1 + i·C̃", r.c), ("h_t = o·tanh(C_t)", r.h)]
        return _table(rows)


def _table(rows):
    """(name, values) rows as the explorers' readout: one row each, the numbers in monospace (4 decimals)."""
    body = "".join(f"<tr><td style='padding-right:12px'>{html.escape(n)}</td>"
                   f"<td style='font-family:monospace'>{'  '.join(f'{v:+.4f}' for v in np.ravel(vals))}</td></tr>"
                   for n, vals in rows)
    return f"<table style='font-size:13px;margin-left:16px'>{body}</table>"


GRU_GATE_NAMES = {"z": "gate_z", "r": "gate_r", "n": "gate_n"}  # keys: "update gate z", ...
GRU_TAB_TITLES = {"z": "tab_z", "r": "tab_r", "n": "tab_n"}     # "z: update", ...
GRU_PRESETS = {  # as PRESETS: the gate's weights 0, its bias +-6
    "keep": {"z": 6.0},                   # h_t ≈ h_{t-1}
    "replace": {"z": -6.0},               # h_t ≈ n_t
    "forget h": {"z": -6.0, "r": -6.0},   # h_t ≈ n_t ≈ tanh(W_nx x_t + b_n): nothing of h_{t-1} is left
}
GRU_FORCE_DEFAULTS = {"z": 1.0, "r": 0.0}  # z = 1 keeps h_{t-1}; r = 0 hides it from the candidate
GRU_FORMS = {"Cho et al. (2014)": False, "PyTorch (reset after)": True}  # the toggle's values: reset_after
GRU_FORM_TEXTS = {"Cho et al. (2014)": "form_cho", "PyTorch (reset after)": "form_pytorch"}  # keys of their labels


def default_gru_params(reset_after=False):
    """The GRUExplorer's starting point: one input, one unit, hand-picked weights (D = H = 1).

    With ``reset_after``, also PyTorch's b_hn = 1: with one unit the two forms differ only by
    r_t b_hn inside the tanh (W_nh (r h) = r (W_nh h) for a number), so a nonzero b_hn shows the difference.
    """
    q = {"W_z": np.array([[0.5, 0.5]]), "b_z": np.array([0.0]),
         "W_r": np.array([[0.8, 1.0]]), "b_r": np.array([0.0]),
         "W_n": np.array([[1.5, 1.0]]), "b_n": np.array([0.0])}
    if reset_after:
        q["b_hn"] = np.array([1.0])
    return q


class GRUExplorer(_StepExplorer):
    """One GRU step, every number on the diagram, every parameter on a slider.

    Like the GateExplorer: tabs of sliders for the inputs x_t, h_{t-1} and each gate's weights and bias
    (z, r, n; b_hn for PyTorch's form), the update and reset gates can be forced by hand, presets pin
    gates (``GRU_PRESETS``: keep, replace, forget h) and ``reset all`` puts everything back. A toggle
    chooses the form of the candidate: Cho et al.'s, n = tanh(W_n [r h, x] + b_n), or PyTorch's,
    n = tanh(W_nx x + b_n + r (W_nh h + b_hn)) (b_hn is used, and its slider enabled, in PyTorch's form
    only). Every number comes from ``gru.step``.

    Parameters
    ----------
    params : dict from gru.init_params with H <= 2 and D <= 4, or None for the default demo; with b_hn
        (reset_after=True) the explorer starts in PyTorch's form
    x, h_prev : starting inputs, shapes (D,) and (H,)
    gates : which gates get a tab of sliders (default all three); z and r among them get a force control
    force : dict of gates (z, r among ``gates``) forced from the start, e.g. {"z": 1.0}
    reset_after : bool or None, the form to start in (None: PyTorch's if ``params`` has b_hn)
    """
    PRESETS, FORCE_DEFAULTS, FORCE_RANGES = GRU_PRESETS, GRU_FORCE_DEFAULTS, gru.FORCE_RANGES
    GATE_NAMES, TAB_TITLES, PARAM_OF_GATE = GRU_GATE_NAMES, GRU_TAB_TITLES, {"z": "z", "r": "r", "n": "n"}

    def __init__(self, params=None, x=None, h_prev=None, gates=("z", "r", "n"), force=None, reset_after=None):
        super().__init__()
        self._init_errors()
        if params is None:
            params, reset_after = default_gru_params(reset_after=True), bool(reset_after)  # Cho's unless asked
        else:
            params = {k: np.array(v, dtype=float) for k, v in params.items()}
            reset_after = gru.resets_after(params) if reset_after is None else bool(reset_after)
        D, H = gru.sizes(params)
        gru.step(params, np.zeros((1, D)), np.zeros((1, H)))  # checks the parameters
        if H > 2 or D > 4:
            raise ValueError(tr("widgets.too_big", name="GRUExplorer", H=H, D=D))
        params.setdefault("b_hn", np.zeros(H))  # kept for PyTorch's form, whichever form is shown
        self.params, self.D, self.H = params, D, H
        gates = tuple(gates)
        if not gates or not set(gates) <= set(GRU_GATE_NAMES):
            raise ValueError(tr("widgets.bad_gates", choices=tuple(GRU_GATE_NAMES), gates=gates))
        force = dict(force or {})
        if not set(force) <= set(gates) & set(GRU_FORCE_DEFAULTS):
            raise ValueError(tr("widgets.bad_gru_force", gates=gates, force=sorted(force)))
        self.gates = gates
        x = np.full(D, 0.8) if x is None else np.ravel(x)
        h_prev = np.full(H, -0.5) if h_prev is None else np.ravel(h_prev)
        for name, v, n in (("x", x, D), ("h_prev", h_prev, H)):
            if v.shape != (n,):
                raise ValueError(tr("widgets.bad_entries", name=name, n=n, shape=np.shape(v)))

        self.sliders = {}
        idx = self._idx
        inputs = [self._add(f"x[{k}]", _slider(x[k], -2, 2, f"x{idx(k, D)}")) for k in range(D)]
        inputs += [self._add(f"h_prev[{k}]", _slider(h_prev[k], -1, 1, f"h_t-1{idx(k, H)}")) for k in range(H)]
        tabs, titles = [W.VBox(inputs)], [tr("widgets.tab_inputs")]
        self.b_hn_sliders = []
        for gate in gates:
            rows = self._weight_tab(gate, params, H, D)
            if gate == "n":  # PyTorch's second bias, inside the reset: r (W_nh h + b_hn)
                self.b_hn_sliders = [self._add(f"b_hn[{r}]", _slider(params["b_hn"][r], -6, 6, f"b_hn{idx(r, H)}"))
                                     for r in range(H)]
                rows += self.b_hn_sliders
            tabs.append(W.VBox(rows))
            titles.append(tr(f"widgets.{GRU_TAB_TITLES[gate]}"))
        tabs.append(self._force_tab(gates, force))
        titles.append(tr("widgets.tab_force"))
        self.tabs = W.Tab(children=tabs, titles=titles, layout=W.Layout(width="520px"))
        buttons = self._preset_bar(gates)
        self.form = W.ToggleButtons(options=[(tr(f"widgets.{GRU_FORM_TEXTS[f]}"), f) for f in GRU_FORMS],
                                    value=list(GRU_FORMS)[reset_after], style={"button_width": "auto"},
                                    tooltips=[tr("widgets.form_cho_tooltip"), tr("widgets.form_pytorch_tooltip")])
        self.form.observe(self._guarded(self._render), "value")
        form_bar = W.HBox([W.Label(tr("widgets.form")), self.form], layout=W.Layout(flex_flow="row wrap",
                                                                             align_items="center"))
        self.cells = {}  # reset_after -> its drawing, made when first shown
        self.image = W.Image(format="png", layout=W.Layout(width="616px"))  # the drawing's own width: legible
        self.readout = W.HTML()
        self._observe_controls(params)
        self._render()
        self.start_params = {k: v.copy() for k, v in self.params.items()}
        self.start_inputs = {"x": self.x.copy(), "h_prev": self.h_prev.copy()}
        self.start_force = dict(force)
        self.start_reset_after = reset_after
        self.children = [buttons, form_bar, W.HBox([self.tabs, self.readout]), self.image, self.errors]

    @property
    def reset_after(self):
        """True while PyTorch's form is shown."""
        return GRU_FORMS[self.form.value]

    def step_params(self):
        """The parameters of the form shown, as ``gru.step`` reads them (b_hn only in PyTorch's form)."""
        return {k: v for k, v in self.params.items() if k != "b_hn" or self.reset_after}

    def _values(self):
        D, H = self.D, self.H
        v = {k: s.value for k, s in self.sliders.items()}
        x = np.array([[v[f"x[{k}]"] for k in range(D)]])
        h = np.array([[v[f"h_prev[{k}]"] for k in range(H)]])
        for key, value in v.items():
            name, ix = _entry(key)
            if name in self.params:
                self.params[name][ix] = value
        force = {g: self.force_values[g].value for g, box in self.force_boxes.items() if box.value}
        return x, h, force

    def _render(self):
        if self._quiet:
            return
        x, h, force = self._values()
        reset_after = self.reset_after
        rec = gru.step(self.step_params(), x, h, force=force or None)
        self.x, self.h_prev, self.force = x[0], h[0], force
        self.record = gru.GRURecord(*(np.asarray(a)[0] for a in rec))
        for s in self.b_hn_sliders:
            s.disabled = not reset_after
        if reset_after not in self.cells:
            self.cells[reset_after] = diagrams.GRUCell(hidden_size=self.H, input_size=self.D, reset_after=reset_after)
        self.cell = self.cells[reset_after]
        self.cell.update(self.x, self.h_prev, self.record, forced=tuple(force))
        self.image.value = self.cell.png()
        self.readout.value = self.readout_html()

    def readout_html(self):
        """Every intermediate value of the step, as a table (4 decimals)."""
        r = self.record
        forced = {g: tr("widgets.forced") if g in self.force else "" for g in "zr"}
        rows = [("x_t", self.x), ("h_t-1", self.h_prev), ("z_t" + forced["z"], r.z), ("r_t" + forced["r"], r.r)]
        if self.reset_after:
            rows.append(("n_t = tanh(W_nx·x + b_n + r·(W_nh·h_t-1 + b_hn))", r.n))
        else:
            rows += [("r·h_t-1", r.r * self.h_prev), ("n_t = tanh(W_n·[r·h_t-1, x] + b_n)", r.n)]
        rows += [("z·h_t-1", r.z * self.h_prev), ("(1 − z)·n_t", (1 - r.z) * r.n),
                 ("h_t = z·h_t-1 + (1 − z)·n", r.h)]
        return _table(rows)

    def _set_rest(self, inputs):
        if inputs is not None:  # reset all: the form too
            self.form.value = list(GRU_FORMS)[self.start_reset_after]


def default_sequence_params():
    """The SequenceStepper's demo: two units that latch a spike in x (unit 0) or follow x (unit 1)."""
    return {"W_f": np.array([[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]), "b_f": np.array([4.0, 0.0]),
            "W_i": np.array([[0.0, 0.0, 8.0], [0.0, 0.0, 0.0]]), "b_i": np.array([-4.0, 2.0]),
            "W_c": np.array([[0.0, 0.0, 2.0], [0.0, 0.0, 1.5]]), "b_c": np.array([0.0, 0.0]),
            "W_o": np.array([[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]), "b_o": np.array([2.0, 2.0])}


def default_sequence(spike_step=3):
    """Small distractors and one spike x_t = 1 at step ``spike_step`` (1-based: x_3 is ``x[2]``), shape (12, 1)."""
    if not 1 <= spike_step <= 12:
        raise ValueError(tr("widgets.bad_spike_step", spike_step=spike_step))
    x = 0.15 * np.sin(np.arange(12) * 1.3)[:, None]
    x[spike_step - 1] = 1.0
    return x


def memory_demo_params():
    """Hand-set weights for chapter 07: unit 0 stores the value marked at one step and holds it; unit 1 follows x.

    The input is (value, marker). Unit 0's gates read only the marker: when it is 1 the forget gate closes
    (sigma(-4) = 0.02), the input gate opens (sigma(4) = 0.98) and the candidate tanh(2 value) is written;
    otherwise f = sigma(4) = 0.98 keeps the cell and i = 0.02 writes almost nothing. Unit 1 forgets fast
    (f = sigma(-2)) and writes tanh(1.5 value) at every step. Both output gates are sigma(2) = 0.88.
    """
    return {"W_f": np.array([[0.0, 0.0, 0.0, -8.0], [0.0, 0.0, 0.0, 0.0]]), "b_f": np.array([4.0, -2.0]),
            "W_i": np.array([[0.0, 0.0, 0.0, 8.0], [0.0, 0.0, 0.0, 0.0]]), "b_i": np.array([-4.0, 2.0]),
            "W_c": np.array([[0.0, 0.0, 2.0, 0.0], [0.0, 0.0, 1.5, 0.0]]), "b_c": np.array([0.0, 0.0]),
            "W_o": np.zeros((2, 4)), "b_o": np.array([2.0, 2.0])}


def memory_demo_sequence(value=1.0, seq_len=16, marked_step=3):
    """(value, marker) pairs, shape (T, 2): the marker is 1 at step ``marked_step`` only, where x carries
    ``value``; elsewhere x carries smooth distractors of amplitude 0.5.

    ``marked_step`` is a step number t = 1 ... T, as in the text and the stepper: the default, t = 3, is
    the row ``x[2]``.
    """
    if not 1 <= marked_step <= seq_len:
        raise ValueError(tr("widgets.bad_marked_step", T=seq_len, marked_step=marked_step))
    x = np.zeros((seq_len, 2))
    x[:, 0] = 0.5 * np.sin(1.3 * np.arange(seq_len) + 0.5)
    x[marked_step - 1] = (value, 1.0)
    return x


class SequenceStepper(_Explorer):
    """An LSTM (or RNN) over one short sequence, stepped t by t.

    Steps are numbered t = 1 ... T everywhere it shows them (the slider, the readout, the heatmaps'
    axis), as in the chapters: step t reads x_t = ``x[t - 1]``. The heatmaps show the input x above
    the gates and states.

    Parameters
    ----------
    params : LSTM (or RNN, with cell="rnn") parameters, or None for the default demo
    x : ndarray of shape (T, D), the sequence (default: a spike among distractors)
    cell : "lstm" or "rnn"
    force : dict of gates forced at every step, e.g. {"f": 0.0} (LSTM only)
    """

    def __init__(self, params=None, x=None, cell="lstm", force=None):
        super().__init__()
        self._init_errors()
        if cell not in ("lstm", "rnn"):
            raise ValueError(tr("widgets.bad_cell", cell=cell))
        if params is None:
            params = default_sequence_params() if cell == "lstm" else \
                gradflow.rnn_with_radius(1, 2, 0.9, np.random.default_rng(0))
        self.cell_kind, self.params = cell, params
        self.x = default_sequence() if x is None else np.asarray(x, dtype=float)
        module = lstm if cell == "lstm" else rnn
        D, H = module.sizes(params)
        if self.x.ndim != 2 or self.x.shape[1] != D:
            raise ValueError(tr("widgets.bad_sequence", D=D, shape=self.x.shape))
        self.H, self.T = H, self.x.shape[0]
        self.force = dict(force or {})

        self.t = W.IntSlider(value=1, min=1, max=self.T, description=tr("widgets.step_t"), continuous_update=True)
        self.play = W.Play(value=1, min=1, max=self.T, interval=700, description=tr("widgets.play"))
        W.jslink((self.play, "value"), (self.t, "value"))
        self.force_boxes = {}
        controls = [self.play, self.t]
        if cell == "lstm":
            for gate, value in (("f", 0.0), ("i", 0.0)):
                box = W.Checkbox(value=gate in self.force, description=tr("widgets.force_value", gate=gate,
                                                                          value=f"{value:g}"), indent=False,
                                 layout=W.Layout(width="130px"))
                box.observe(self._guarded(self._rerun), "value")
                self.force_boxes[gate] = box
                controls.append(box)
        self.heat_image = W.Image(format="png", layout=W.Layout(width="442px"))  # natural size: legible
        self.cell_image = W.Image(format="png", layout=W.Layout(width="720px"))
        self.readout = W.HTML()
        self.t.observe(self._guarded(self._render), "value")
        self.diagram = diagrams.LSTMCell(hidden_size=H, input_size=D) if cell == "lstm" and H <= 2 and D <= 4 \
            else None
        self._rerun()
        shown = [self.heat_image] + ([self.cell_image] if self.diagram is not None else [])
        pictures = W.HBox(shown, layout=W.Layout(flex_flow="row wrap"))
        self.children = [W.HBox(controls), pictures, self.readout, self.errors]

    def _rerun(self):
        """Run the whole sequence (after a change of the forced gates) and redraw the heatmaps."""
        for gate, box in self.force_boxes.items():
            if box.value:
                self.force[gate] = 0.0
            else:
                self.force.pop(gate, None)
        x = self.x[None]
        if self.cell_kind == "lstm":
            out, _ = lstm.forward(self.params, x, force=self.force or None)
            self.out = _one(out)
            names = ["x", "f", "i", "g", "o", "c", "h"]
            values = {"x": self.x, **{n: getattr(self.out, n) for n in names[1:]}}
        else:
            hs, _ = rnn.forward(self.params, x)
            self.out = hs[0]
            names, values = ["x", "h"], {"x": self.x, "h": hs[0]}
        self.heat_axes = plots.state_heatmaps(values, names, first_step=1)
        self.heat = plots.PaintedFigure(self.heat_axes[0].figure, dpi=96)
        self._heat_language = i18n.language()  # the heatmaps' labels are drawn again if the language changes
        self._render()

    def _paint_marker(self, frame, pf):
        t = self.t.value  # columns sit at their step numbers 1 ... T
        for ax in self.heat_axes:
            n = len(ax.get_yticks())
            pf.outline(frame, pf.data_box(ax, t - 0.5, -0.5, t + 0.5, n - 0.5), (0.85, 0.1, 0.1), width=2)

    def state_at(self, t):
        """(x_t, h_{t-1}, C_{t-1}, record of step t) of the current run (LSTM), for a step t = 1 ... T."""
        if not 1 <= t <= self.T:
            raise ValueError(tr("widgets.bad_t", T=self.T, t=t))
        o = self.out
        h_prev = o.h[t - 2] if t > 1 else np.zeros(self.H)  # h_0 = C_0 = 0
        c_prev = o.c[t - 2] if t > 1 else np.zeros(self.H)
        return self.x[t - 1], h_prev, c_prev, lstm.LSTMRecord(*(np.asarray(a)[t - 1] for a in o))

    def _render(self):
        if self._heat_language != i18n.language():
            return self._rerun()
        t = self.t.value
        self.heat_image.value = self.heat.png(self._paint_marker)

        def fmt(v):
            return np.array2string(np.asarray(v), precision=3, floatmode="fixed")
        if self.cell_kind == "lstm":
            x_t, h_prev, c_prev, rec = self.state_at(t)
            if self.diagram is not None:
                self.diagram.update(x_t, h_prev, c_prev, rec, forced=tuple(self.force))
                self.cell_image.value = self.diagram.png()
            names = {"f": "f", "i": "i", "g": "C̃", "o": "o", "c": "C", "h": "h"}
            vals = "  ".join(f"{s}_{t} = {fmt(getattr(rec, n))}" for n, s in names.items())
        else:
            vals = f"h_{t} = {fmt(self.out[t - 1])}"
        self.readout.value = (f"<span style='font-family:monospace'>t = {t}: x_{t} = {fmt(self.x[t - 1])}  "
                              f"{html.escape(vals)}</span>")


class GradientFlowExplorer(_Explorer):
    """||dh_T/dh_t|| against the distance T - t, for an RNN and an LSTM, on a log scale.

    Both cells start on the same footing: every recurrent block (the RNN's W_h, each of
    the LSTM's W_fh, W_ih, W_ch, W_oh) is rho times its own orthogonal matrix, every input
    block is PyTorch's uniform init times 0.5 (``gradflow.rnn_with_radius``,
    ``gradflow.lstm_with_radius``). For the LSTM it draws the total through every path
    and, apart, the cell path alone: the product of the forget gates.

    Parameters
    ----------
    hidden_size : int
    seq_len : int, T
    seed : int, for the random weights and inputs (fixed, so a slider changes one thing)
    radius : starting spectral radius rho of every recurrent block
    forget_bias : starting forget-gate bias of the LSTM
    """

    YLIM = (1e-10, 1e4)
    CURVES = (  # key, keys (texts/widgets.toml) of its legend label and of its table label
        ("rnn", "curve_rnn", "row_rnn"),                    # RNN ‖∂h_T/∂h_t‖
        ("bound", "curve_bound", "row_bound"),              # RNN bound ρ^(T−t)
        ("lstm_h", "curve_lstm_h", "row_lstm_h"),           # LSTM ‖∂h_T/∂h_t‖, all paths
        ("lstm_c", "curve_lstm_c", "row_lstm_c"),           # LSTM ‖∂h_T/∂C_t‖, all paths
        ("cell_path", "curve_cell_path", "row_cell_path"),  # LSTM cell path alone: ∏ f
    )

    def __init__(self, hidden_size=16, seq_len=60, seed=0, radius=0.9, forget_bias=1.0):
        super().__init__()
        self._init_errors()
        rng = np.random.default_rng(seed)
        self.H, self.T = hidden_size, seq_len
        self.x = rng.standard_normal((seq_len, 1))
        # radius 1 here; the slider scales the recurrent blocks of both cells alike
        self._Q = gradflow.rnn_with_radius(1, hidden_size, 1.0, rng, input_scale=0.5)
        self._lstm = gradflow.lstm_with_radius(1, hidden_size, 1.0, rng, input_scale=0.5)
        self.radius = _slider(radius, 0.5, 1.5, tr("widgets.radius"))
        self.forget_bias = _slider(forget_bias, -2.0, 6.0, tr("widgets.lstm_forget_bias"), step=0.1)
        for s in (self.radius, self.forget_bias):
            s.layout.width = "480px"
            s.style.description_width = "230px"
        self._make_figure()
        self.image = W.Image(format="png", layout=W.Layout(width="720px"))
        self.table = W.HTML()
        for s in (self.radius, self.forget_bias):
            s.observe(self._guarded(self._render), "value")
        self._render()
        self.children = [self.radius, self.forget_bias, self.image, self.table, self.errors]

    def norms(self):
        """Norms by distance 0 .. T-1: dict with rnn, bound, lstm_h, lstm_c, cell_path (each (T,))."""
        rho, H = self.radius.value, self.H
        q = {"W": self._Q["W"].copy(), "b": self._Q["b"]}
        q["W"][:, :H] *= rho
        J, _ = gradflow.state_jacobians("rnn", q, self.x)
        p = {k: v.copy() for k, v in self._lstm.items()}
        for gate in ("f", "i", "c", "o"):
            p[f"W_{gate}"][:, :H] *= rho
        p["b_f"][:] = self.forget_bias.value
        Jh, Jc = gradflow.state_jacobians("lstm", p, self.x)
        out, _ = lstm.forward(p, self.x[None])
        back = slice(None, None, -1)  # index by distance T-1-t
        return {"rnn": gradflow.spectral_norms(J)[back], "bound": rho ** np.arange(self.T),
                "lstm_h": gradflow.spectral_norms(Jh)[back], "lstm_c": gradflow.spectral_norms(Jc)[back],
                "cell_path": gradflow.forget_products(out.f[0]), "f_mean": float(out.f.mean())}

    def _make_figure(self):
        """The figure and its static picture, in the reader's language (made again if it changes)."""
        from matplotlib.figure import Figure
        seq_len = self.T
        fig = Figure(figsize=(6.0, 3.4), layout="constrained")  # 720 x 408 px at 120 dpi
        self.ax = ax = fig.add_subplot()
        d = np.arange(seq_len)
        styles = {"rnn": dict(lw=2.2, color="#d95f02"), "bound": dict(lw=1.2, ls=":", color="#d95f02"),
                  "lstm_h": dict(lw=2.2, color="#1b9e77"), "lstm_c": dict(lw=1.6, ls="--", color="#1b9e77"),
                  "cell_path": dict(lw=2.2, ls="-.", color="#7570b3")}
        self.lines = {key: ax.plot(d, np.ones(seq_len), label=tr(f"widgets.{label}"), **styles[key])[0]
                      for key, label, _ in self.CURVES}
        ax.axhline(1.0, color="0.6", lw=0.8)
        ax.set_yscale("log")
        ax.set_ylim(*self.YLIM)
        ax.set_xlim(0, seq_len - 1)
        ax.set_xlabel(tr("widgets.distance"))
        ax.set_ylabel(tr("widgets.gradient_norm"))
        self.note = ax.set_title(" \n ", loc="left", fontsize=9)  # above the axes: never on a curve
        fig.legend(loc="outside right center", fontsize=9, frameon=False)  # beside the data, never on it
        self.figure = fig
        self._moving = (*self.lines.values(), self.note)
        for a in self._moving:
            a.set_animated(True)  # drawn over a static background in each frame
        self.frames = plots.PaintedFigure(fig, dpi=120)
        self._language = i18n.language()

    def _render(self):
        if self._language != i18n.language():
            self._make_figure()
        n = self.norms()
        floor = 1e-30  # log scale: keep exact zeros drawable
        for key, line in self.lines.items():
            line.set_ydata(np.maximum(n[key], floor))
        rho = self.radius.value
        regime = tr("widgets.regime_vanish" if rho < 1 else "widgets.regime_explode" if rho > 1 else
                    "widgets.regime_border")
        self.note.set_text(tr("widgets.flow_note", regime=regime, f_mean=n["f_mean"]))
        self.image.value = self.frames.png(artists=self._moving)
        self.values = n
        cols = [d for d in (1, 10, 50, 100) if d < self.T]
        head = "".join(f"<th style='padding:0 10px'>T−t = {d}</th>" for d in cols)
        rows = "".join(f"<tr><td>{tr(f'widgets.{label}')}</td>" +
                       "".join(f"<td style='padding:0 10px;font-family:monospace'>"
                                                         f"{n[key][d]:.2e}</td>" for d in cols) + "</tr>"
                       for key, _, label in self.CURVES)
        self.table.value = f"<table style='font-size:13px'><tr><th></th>{head}</tr>{rows}</table>"


class LiveLossCurve(W.Image):
    """A loss curve that redraws itself while training runs: pass ``track(label)`` as train's callback.

    Parameters
    ----------
    baseline : float or None, drawn as a dashed line (e.g. tasks.ADDING_BASELINE_MSE), in the units shown
    scale : float, every loss is drawn multiplied by it (1 / ln 2: a cross-entropy in nats drawn in bits)
    ylabel : str or None, the loss axis's label (None: "loss" in the reader's language)
    logy : bool, a log-scale loss axis
    """

    def __init__(self, baseline=None, scale=1.0, ylabel=None, logy=True, **kwargs):
        super().__init__(format="png", layout=W.Layout(width="560px"), **kwargs)
        from matplotlib.figure import Figure
        self.figure = Figure(figsize=(4.67, 2.8), layout="constrained")  # 560 x 336 px at 120 dpi
        self.ax = self.figure.add_subplot()
        self.baseline = baseline
        self.scale, self.ylabel, self.logy = float(scale), ylabel, logy
        self.histories = {}
        self.redraw()

    def track(self, label):
        """A callback for train.train that records its history under ``label`` and redraws."""
        def callback(history):
            self.histories[label] = history
            self.redraw()
        return callback

    def redraw(self):
        """Draw every tracked run (training loss smoothed, validation loss as points)."""
        self.ax.clear()
        for k, (label, hist) in enumerate(self.histories.items()):
            if self.scale != 1.0:
                hist = dataclasses.replace(hist, loss=[v * self.scale for v in hist.loss],
                                           val_loss=[v * self.scale for v in hist.val_loss])
            plots.loss_curve(hist, ax=self.ax, label=label, logy=self.logy,
                             baseline=self.baseline if k == len(self.histories) - 1 else None)
        self.ax.set_ylabel(tr("plots.loss") if self.ylabel is None else self.ylabel)
        if not self.histories:
            self.ax.set_xlabel(tr("plots.training_step"))
            self.ax.text(0.5, 0.5, tr("widgets.waiting"), ha="center", va="center",
                         transform=self.ax.transAxes, color="0.5")
        self.value = plots.png_bytes(self.figure, dpi=120)


class GateDemo(_Explorer):
    """A gate on its own: a slider sets the gate value, the picture shows what passes through.

    Parameters
    ----------
    signal : array_like of 1 to 4 values flowing along the line (default [1.5, -0.8, 0.6])
    value : starting gate value in [0, 1]
    """

    def __init__(self, signal=(1.5, -0.8, 0.6), value=0.5):
        super().__init__()
        self._init_errors()
        self.signal = np.atleast_1d(np.asarray(signal, dtype=float))
        self.diagram = diagrams.GateDiagram(self.signal.size)
        self.gate = _slider(value, 0.0, 1.0, tr("widgets.gate_value"))
        self.image = W.Image(format="png", layout=W.Layout(width="460px"))
        self.gate.observe(self._guarded(self._render), "value")
        self._render()
        self.children = [self.gate, self.image, self.errors]

    def _render(self):
        self.diagram.update(np.full(self.signal.shape, self.gate.value), self.signal)
        self.image.value = self.diagram.png()


class ForgetSurvivalExplorer(_Explorer):
    """How long a value survives in the cell: C_t / C_0 with nothing written (i = 0), by the forget bias.

    The solid line is a real LSTM's cell (random weights, the bias from the slider, random inputs):
    C_t / C_0 = f_1 f_2 ... f_t. The dotted line is sigmoid(b_f)^t, what the bias alone would give.

    Parameters
    ----------
    hidden_size : int
    seq_len : int, T
    seed : int
    forget_bias : starting value of b_f
    """

    def __init__(self, hidden_size=8, seq_len=100, seed=0, forget_bias=1.0):
        super().__init__()
        self._init_errors()
        rng = np.random.default_rng(seed)
        self.params = lstm.init_params(1, hidden_size, rng)
        self.x = rng.standard_normal((1, seq_len, 1))
        self.T, self.H = seq_len, hidden_size
        self.forget_bias = _slider(forget_bias, -2.0, 6.0, tr("widgets.forget_bias"), step=0.1)
        self.forget_bias.layout.width = "420px"
        self._make_figure()
        self.image = W.Image(format="png", layout=W.Layout(width="600px"))
        self.forget_bias.observe(self._guarded(self._render), "value")
        self._render()
        self.children = [self.forget_bias, self.image, self.errors]

    def survival(self):
        """(C_t / C_0 of the LSTM averaged over units, sigmoid(b_f)^t), each of shape (T,)."""
        p = {k: v.copy() for k, v in self.params.items()}
        p["b_f"][:] = self.forget_bias.value
        out, _ = lstm.forward(p, self.x, c0=np.ones((1, self.H)), force={"i": 0.0})
        f0 = float(sigmoid(self.forget_bias.value))
        return out.c[0].mean(axis=1), f0 ** np.arange(1, self.T + 1)

    def _make_figure(self):
        """The figure and its static picture, in the reader's language (made again if it changes)."""
        from matplotlib.figure import Figure
        seq_len = self.T
        fig = Figure(figsize=(5.0, 2.7), layout="constrained")  # 600 x 324 px at 120 dpi
        self.ax = ax = fig.add_subplot()
        t = np.arange(1, seq_len + 1)
        self.line_cell, = ax.plot(t, np.ones(seq_len), lw=2, color="#1b9e77", label=tr("widgets.survival_cell"))
        self.line_bias, = ax.plot(t, np.ones(seq_len), lw=1.2, ls=":", color="k", label="σ(b_f)^t")
        ax.set_yscale("log")
        ax.set_ylim(1e-15, 2)
        ax.set_xlim(1, seq_len)
        ax.set_xlabel(tr("widgets.steps_after_write"))
        ax.set_ylabel(tr("widgets.fraction_left"))
        ax.legend(fontsize=8, loc="lower left", frameon=False)
        self.note = ax.text(0.98, 0.95, "", transform=ax.transAxes, ha="right", va="top", fontsize=8.5)
        self.figure = fig
        for a in (self.line_cell, self.line_bias, self.note):
            a.set_animated(True)  # drawn over a static background in each frame
        self.frames = plots.PaintedFigure(fig, dpi=120)
        self._language = i18n.language()

    def _render(self):
        if self._language != i18n.language():
            self._make_figure()
        cell, bias = self.survival()
        self.values = {"cell": cell, "bias": bias}
        self.line_cell.set_ydata(np.maximum(cell, 1e-30))
        self.line_bias.set_ydata(np.maximum(bias, 1e-30))
        self.note.set_text(tr("widgets.survival_note", f0=bias[0], T=self.T, left=cell[-1]))
        self.image.value = self.frames.png(artists=(self.line_cell, self.line_bias, self.note))


class GradientCheckExplorer(_Explorer):
    """How the step eps of central differences sets the error of a gradient check, in float64 and float32.

    One small LSTM loss (``gradcheck.lstm_example``: B = 2, T = 3, D = H = 2, all 40 parameters) is
    checked against lstm.backward once for every eps of the grid, 1e-12 to 1e-1 half a decade apart,
    in float64 and again in float32 (the same numbers, rounded), when the explorer is made (about half
    a second here); the slider only moves the marker. On the right the error falls like eps^2 as eps
    shrinks (truncation), on the left it rises like 1/eps (round-off); where float32 can no longer
    tell a + eps from a, the numerical gradient is 0 and the error is 1.

    Parameters
    ----------
    seed : int, for the LSTM's parameters, inputs and loss weights
    eps : starting step, a point of the grid (default 1e-6, numerical_gradient's default)
    """

    GRID = 10.0 ** np.arange(-12, -0.9, 0.5)  # 1e-12, 3.2e-12, ..., 1e-1
    PASS = 1e-6  # what a correct float64 backward must reach (tests/, DESIGN.md)
    STYLES = {"float64": dict(color="#1b9e77", lw=2.2, marker="o", ms=4),
              "float32": dict(color="#d95f02", lw=2.2, ls="--", marker="s", ms=4)}

    def __init__(self, seed=0, eps=1e-6):
        super().__init__()
        self._init_errors()
        from . import gradcheck
        self.values = {"eps": self.GRID}
        for name, dtype in (("float64", np.float64), ("float32", np.float32)):
            self.values[name] = gradcheck.errors_by_step(
                *gradcheck.lstm_example(np.random.default_rng(seed), dtype=dtype), self.GRID)
        self.eps = W.FloatLogSlider(value=eps, base=10, min=-12, max=-1, step=0.5,
                                    description=tr("widgets.step_eps"), readout_format=".1e",
                                    continuous_update=True, style={"description_width": "initial"},
                                    layout=W.Layout(width="420px"))
        self._make_figure(eps)
        self.image = W.Image(format="png", layout=W.Layout(width="720px"))
        self.readout = W.HTML()
        self.eps.observe(self._guarded(self._render), "value")
        self._render()
        self.children = [self.eps, self.image, self.readout, self.errors]

    def _make_figure(self, eps):
        """The figure and its static picture, in the reader's language (made again if it changes)."""
        from matplotlib.figure import Figure
        fig = Figure(figsize=(6.0, 3.7), layout="constrained")  # 720 x 444 px at 120 dpi
        self.ax = ax = fig.add_subplot()
        for name, style in self.STYLES.items():
            ax.plot(self.GRID, self.values[name], label=name, **style)
        ax.axhline(self.PASS, color="0.45", lw=1, ls=":", label=tr("widgets.pass_mark"))
        e64 = self.values["float64"]
        k = int(np.argmin(e64))  # guides one decade under the float64 curve, through its two branches
        left, right = self.GRID[:k - 1], self.GRID[k + 2:]
        c_left = np.median(e64[:k - 1] * left) / 10
        c_right = np.median(e64[k + 2:] / right ** 2) / 10
        ax.plot(left, c_left / left, color="0.3", lw=1)
        ax.plot(right, c_right * right ** 2, color="0.3", lw=1)
        ax.text(left[len(left) // 2], c_left / left[len(left) // 2] / 4, tr("widgets.round_off"), ha="right",
                va="top", fontsize=9, color="0.2")
        ax.text(right[2], c_right * right[2] ** 2 / 100, tr("widgets.truncation"),
                ha="left", va="top", fontsize=9, color="0.2")  # below the guide, on the side away from the data
        ax.text(self.GRID[0], 0.2, tr("widgets.rounds_back"), ha="left", va="top", fontsize=9,
                color=self.STYLES["float32"]["color"])
        self.vline = ax.axvline(eps, color="0.5", lw=1)
        self.markers = {name: ax.plot([eps], [1.0], ls="none", marker="o", ms=10, mfc="none", mew=2,
                                      color=self.STYLES[name]["color"])[0] for name in self.STYLES}
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(self.GRID[0] / 2, self.GRID[-1] * 2)
        ax.set_ylim(1e-14, 10)
        ax.set_xlabel(tr("widgets.step_eps_axis"))
        ax.set_ylabel(tr("widgets.relative_error"))
        self.note = ax.set_title(" ", loc="left", fontsize=9)  # above the axes: never on a curve
        fig.legend(loc="outside lower center", ncols=3, fontsize=9, frameon=False)  # under the axes, off the data
        self.figure = fig
        self._moving = (self.vline, *self.markers.values(), self.note)
        for a in self._moving:
            a.set_animated(True)  # drawn over a static background in each frame
        self.frames = plots.PaintedFigure(fig, dpi=120)
        self._language = i18n.language()

    def index(self, eps):
        """The grid point nearest to ``eps`` (in log10)."""
        k = int(round((np.log10(eps) - np.log10(self.GRID[0])) / 0.5))
        return min(max(k, 0), len(self.GRID) - 1)

    def best(self, name):
        """(eps, relative error) where the curve ``name`` ("float64" or "float32") is lowest."""
        k = int(np.argmin(self.values[name]))
        return float(self.GRID[k]), float(self.values[name][k])

    def _render(self):
        k = self.index(self.eps.value)
        eps = float(self.GRID[k])
        if self._language != i18n.language():
            self._make_figure(eps)
        self.record = {"eps": eps, **{name: float(self.values[name][k]) for name in self.STYLES}}
        self.vline.set_xdata([eps, eps])
        for name, m in self.markers.items():
            m.set_data([eps], [self.record[name]])
        self.note.set_text(tr("widgets.check_note", eps=eps, e64=self.record["float64"], e32=self.record["float32"]))
        self.image.value = self.frames.png(artists=self._moving)
        rows = "".join(f"<tr><td style='padding-right:12px'>{name}</td><td style='font-family:monospace'>"
                       f"{self.record[name]:.1e}</td><td style='padding-left:12px'>"
                       f"{tr('widgets.lowest', err=self.best(name)[1], eps=self.best(name)[0])}</td></tr>"
                       for name in self.STYLES)
        self.readout.value = (f"<table style='font-size:13px'><tr><th style='text-align:left'>ε = {eps:.1e}</th>"
                              f"<th>{tr('widgets.relative_error')}</th><th></th></tr>{rows}</table>")


class SampleExplorer(_Explorer):
    """What a trained character model writes after a fixed prime, at the temperature on the slider.

    Each temperature τ of the slider (0.2 to 1.5, a tenth apart) draws with its own generator,
    ``np.random.default_rng([seed, round(10 τ)])``, so one setting always shows the same text. A text
    is drawn by ``charlm.sample`` the first time its temperature is shown, and kept (with its picture).
    The picture is monospace: the prime grey, each space written a faint dot, lines longer than 80
    characters wrapped, at most 14 rows.

    Parameters
    ----------
    model : SequenceModel, a character model (many_to_one=False); None: an untrained LSTM (H = 64)
        over the characters of chapter 08's code corpus, which writes noise
    vocab : tasks.Vocabulary, the model's characters (with model=None: the corpus's)
    prime : str, the text the model reads before it writes
    length : int, the characters it writes
    seed : int
    temperature : float, where the slider starts
    """

    TEMPERATURES = tuple(k / 10 for k in range(2, 16))
    WIDTH, ROWS = 80, 14  # characters per row, rows shown

    def __init__(self, model=None, vocab=None, prime="    def ", length=240, seed=0, temperature=1.0):
        super().__init__()
        self._init_errors()
        if model is None:
            from . import tasks
            from .model import SequenceModel
            vocab = tasks.Vocabulary(tasks.load_code()[0])
            model = SequenceModel("lstm", vocab.size, 64, vocab.size, np.random.default_rng(seed), loss="xent",
                                  many_to_one=False, dtype=np.float32)
        self.model, self.vocab, self.prime, self.length, self.seed = model, vocab, prime, int(length), seed
        self.samples, self.pictures = {}, {}  # temperature -> the text written at it, and its PNG (no words on it)
        self.temperature = W.FloatSlider(value=temperature, min=self.TEMPERATURES[0], max=self.TEMPERATURES[-1],
                                         step=0.1, description=tr("widgets.temperature"), readout_format=".1f",
                                         continuous_update=True, style={"description_width": "initial"},
                                         layout=W.Layout(width="420px"))
        from matplotlib.figure import Figure
        fig = Figure(figsize=(7.2, 2.55))  # 720 x 255 px at 100 dpi: 14 rows of 80 characters at 10 pt
        style = dict(x=0.01, y=0.97, ha="left", va="top", family="monospace", fontsize=10, parse_math=False,
                     linespacing=1.25)
        self.layers = {"prime": fig.text(s="", color="0.55", **style), "space": fig.text(s="", color="0.7", **style),
                       "text": fig.text(s="", color="k", **style)}
        self.figure = fig
        self.image = W.Image(format="png", layout=W.Layout(width="720px"))
        self.readout = W.HTML()
        self.temperature.observe(self._guarded(self._render), "value")
        self._render()
        self.children = [self.temperature, self.image, self.readout, self.errors]

    def sample(self, temperature):
        """The text written at ``temperature`` (rounded to a stop of the slider), drawn once and kept."""
        t = min(self.TEMPERATURES, key=lambda s: abs(s - temperature))
        if t not in self.samples:
            rng = np.random.default_rng([self.seed, round(10 * t)])
            self.samples[t] = charlm.sample(self.model, self.vocab, self.prime, self.length, t, rng)
        return t, self.samples[t]

    def rows(self, text):
        """prime + text as the picture's rows: (character, is it the prime's) pairs, a row at most WIDTH long."""
        out, col = [[]], 0
        for k, ch in enumerate(self.prime + text):
            if ch == "\n":
                out.append([])
                col = 0
                continue
            if col == self.WIDTH:
                out.append([])
                col = 0
            out[-1].append((ch, k < len(self.prime)))
            col += 1
        return out

    def _render(self):
        t, s = self.sample(self.temperature.value)
        rows = self.rows(s)
        self.record = {"temperature": t, "text": s, "spaces": s.count(" "), "lines": s.count("\n"),
                       "distinct": len(set(s)), "rows": len(rows)}
        layers = {"prime": lambda ch, p: ch if p else " ",  # three monospace layers, one colour each
                  "space": lambda ch, p: "·" if ch == " " and not p else " ",
                  "text": lambda ch, p: " " if p else ch}
        for name, show in layers.items():
            self.layers[name].set_text("\n".join("".join(show(ch, p) for ch, p in row) for row in rows[:self.ROWS]))
        if t not in self.pictures:
            self.pictures[t] = plots.png_bytes(self.figure, dpi=100)
        self.image.value = self.pictures[t]
        r = self.record
        more = tr("widgets.sample_more", rows=self.ROWS) if len(rows) > self.ROWS else ""
        said = tr("widgets.sample_readout", t=t, length=self.length, spaces=r["spaces"], lines=r["lines"],
                  distinct=r["distinct"], more=more)
        self.readout.value = f"<span style='font-size:13px'>{said}</span>"


class PaddingExplorer(_Explorer):
    """One word read with more and more padding after it: what each classifier says, class by class.

    A model that reads each sequence to its own last real step (lengths) gives the same answer whatever
    follows the word; a model that reads to the end reads the padding too, and its answer moves with it.

    Parameters
    ----------
    models : dict, label -> (SequenceModel, reads_lengths): a many-to-one classifier and whether it is
        given each word's length
    encode : callable(words, T) -> (x (N, T, V), lengths (N,)), e.g. a tasks.encode_words with its alphabet
    words : list of str, the words to choose from
    classes : list of str, the class names, one per output of the models
    max_padding : int, the slider's largest number of padding steps after the word
    """

    COLORS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a")

    def __init__(self, models, encode, words, classes, max_padding=30):
        super().__init__()
        self._init_errors()
        if not models or len(models) > len(self.COLORS):
            raise ValueError(tr("widgets.bad_models", most=len(self.COLORS), n=len(models)))
        self.models, self.encode, self.classes = dict(models), encode, list(classes)
        self.word = W.Dropdown(options=list(words), description=tr("widgets.word"))
        self.padding = W.IntSlider(value=0, min=0, max=max_padding, description=tr("widgets.padding_steps"),
                                   style={"description_width": "initial"}, layout=W.Layout(width="420px"))
        self._make_figure()
        self.image = W.Image(format="png", layout=W.Layout(width="720px"))
        for control in (self.word, self.padding):
            control.observe(self._guarded(self._render), "value")
        self._render()
        self.children = [W.HBox([self.word, self.padding]), self.image, self.errors]

    def _make_figure(self):
        """The figure, in the reader's language (made again if it changes)."""
        from matplotlib.figure import Figure
        fig = Figure(figsize=(6.0, 3.0), layout="constrained")  # 720 x 360 px at 120 dpi
        self.ax = ax = fig.add_subplot()
        C, n = len(self.classes), len(self.models)
        width = 0.8 / n
        self.bars, self.labels = {}, {}
        for k, label in enumerate(self.models):
            at = np.arange(C) + (k - (n - 1) / 2) * width
            self.bars[label] = ax.bar(at, np.zeros(C), width, color=self.COLORS[k], label=label)
            self.labels[label] = [ax.text(a, 0, "", ha="center", va="bottom", fontsize=8) for a in at]
        ax.set_xticks(np.arange(C), self.classes)
        ax.set_ylim(0, 1.3)
        ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
        ax.set_ylabel(tr("widgets.probability"))
        ax.legend(loc="upper left", fontsize=8, frameon=False)
        self.title = ax.set_title("", fontsize=10)
        self.figure = fig
        self._language = i18n.language()

    def probabilities(self, word=None, padding=None):
        """{label: the model's class probabilities (C,)} for a word and a number of padding steps (by default
        the ones chosen on the controls)."""
        word = self.word.value if word is None else word
        padding = self.padding.value if padding is None else padding
        x, lengths = self.encode([word], len(word) + padding)
        out = {}
        for label, (model, reads_lengths) in self.models.items():
            xs = np.asarray(x, dtype=next(iter(model.params.values())).dtype)
            logits = model.predict(xs, lengths) if reads_lengths else model.predict(xs)
            out[label] = charlm.temperature_probs(logits, 1.0)[0]
        return out

    def _render(self):
        if self._language != i18n.language():
            self._make_figure()
        probs = self.probabilities()
        for label, p in probs.items():
            for bar, text, value in zip(self.bars[label], self.labels[label], p):
                bar.set_height(value)
                text.set_y(value + 0.01)
                text.set_text(f"{value:.2f}")
        word, pad = self.word.value, self.padding.value
        self.title.set_text(tr("widgets.padding_title_one" if pad == 1 else "widgets.padding_title", word=word,
                               letters=len(word), pad=pad))
        self.image.value = plots.png_bytes(self.figure, dpi=120)
        # The first picture laid the figure out; a move changes bar heights and texts, not the room they need,
        # so the layout stays (constrained layout took about half of each move's time).
        self.figure.set_layout_engine("none")
