"""Values as people read them, for the app and the pages: the public face of the one time
formatter (:mod:`workbench._clock`) and the one missing-value helper (:mod:`workbench._values`).

The ``ui`` reaches only public functions below the session; these are they.

>>> shown_time("2026-11-25T19:10:46Z"), shown_time("2026-11-25T19:10:46Z", zone=False)
('2026-11-25 19:10 UTC', '2026-11-25 19:10')
>>> import pandas as pd
>>> plain(pd.NA) is None, text_or_none(float("nan")), text_or_none("field")
(True, None, 'field')
"""

from __future__ import annotations

from workbench._clock import shown as shown_time
from workbench._values import plain, text_or_none

__all__ = ["plain", "shown_time", "text_or_none"]
