"""Values out of pandas tables made plain: the one place that knows what "missing" looks like.

A cell of a pandas table can be ``None``, ``float('nan')``, ``pd.NA`` or ``pd.NaT`` for
"nothing there", and numpy scalars for numbers. :func:`plain` turns each of them into
``None`` or the plain Python value, so the code that shows or writes a value has one
case for "missing" and no pandas types.

>>> import numpy as np, pandas as pd
>>> [plain(v) for v in (None, float("nan"), pd.NA, pd.NaT, np.int64(3), 2.0, "", "text")]
[None, None, None, None, 3, 2.0, '', 'text']
>>> text_or_none(pd.NA), text_or_none(""), text_or_none("el-0001")
(None, None, 'el-0001')
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["plain", "text_or_none"]


def plain(value: Any) -> Any:
    """Return None for a missing value (None, NaN, pandas NA or NaT), a numpy scalar as its Python
    value, and any other value unchanged."""
    if value is None:
        return None
    if isinstance(value, float):
        return None if math.isnan(value) else value if type(value) is float else float(value)
    if isinstance(value, str | int):
        return value
    if value.__class__.__name__ in ("NAType", "NaTType"):
        return None
    item = getattr(value, "item", None)  # numpy scalars
    if callable(item) and getattr(value, "ndim", None) == 0:
        return plain(item())
    return value


def text_or_none(value: Any) -> str | None:
    """Return ``value`` as text, or None when it is missing or empty."""
    value = plain(value)
    return None if value is None or value == "" else str(value)
