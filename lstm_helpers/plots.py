"""Plots of training and of the cells' values. Each takes ``ax=None`` and returns what it drew."""
import numpy as np
from matplotlib.figure import Figure


def _axes(ax, figsize=(6, 3.5)):
    if ax is None:
        ax = Figure(figsize=figsize, layout="constrained").add_subplot()
    return ax


def loss_curve(history, ax=None, baseline=None, label=None, logy=True, smooth=20):
    """Training loss (smoothed over ``smooth`` steps) and validation loss of a History.

    Parameters
    ----------
    history : train.History
    baseline : float or None, drawn as a dashed line (e.g. tasks.ADDING_BASELINE_MSE)
    label : str or None, prefix of the legend entries
    logy : bool, log-scale loss axis

    Returns
    -------
    ax : matplotlib Axes (its ``.figure`` displays in a notebook)
    """
    ax = _axes(ax)
    name = f"{label} " if label else ""
    loss = np.asarray(history.loss, dtype=float)
    if len(loss):
        k = max(1, min(smooth, len(loss)))
        smoothed = np.convolve(loss, np.ones(k) / k, mode="valid")
        line, = ax.plot(history.steps[k - 1:], smoothed, lw=1.2, alpha=0.6, label=f"{name}training")
        if history.val_loss:
            ax.plot(history.val_steps, history.val_loss, "o-", ms=3, color=line.get_color(),
                    label=f"{name}validation")
    if baseline is not None:
        ax.axhline(baseline, ls="--", color="0.4", lw=1, label=f"baseline {baseline:.3f}")
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel("training step")
    ax.set_ylabel("loss")
    ax.legend(frameon=False, fontsize="small")
    return ax
