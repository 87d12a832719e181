"""The instructor's part of "LSTM, step by step": the exercises' model answers (``solutions.SOLUTIONS``)."""
from .solutions import SOLUTIONS, leaked

__version__ = "0.2.0"
__all__ = ["SOLUTIONS", "leaked"]
