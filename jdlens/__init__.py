"""jdlens: how much of a sales job is hunting new customers versus managing existing accounts.

    >>> import jdlens
    >>> model = jdlens.load_model()
    >>> r = model.score("Prospect and close new logos across the Midwest...")
    >>> r.hunter_score, r.label, r.evidence[:3]
"""
__version__ = "0.1.0"

from .errors import EmptyPostingError, JdlensError, ModelError  # noqa: E402
from .model import LeanModel, load_model  # noqa: E402
from .result import LABELS, ScoreResult  # noqa: E402

__all__ = ["load_model", "LeanModel", "ScoreResult", "LABELS", "JdlensError", "ModelError",
           "EmptyPostingError", "__version__"]
