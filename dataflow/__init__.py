"""dataflow: cross-border data-flow mapping and transfer-mechanism analysis.

Library first: everything the CLI does is available here.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .api import Validation, load, validate_model
from .diagnostics import Diagnostic, InvalidModel

__all__ = ["Diagnostic", "InvalidModel", "Validation", "__version__", "load", "validate_model"]
