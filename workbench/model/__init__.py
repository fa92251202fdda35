"""The domain model: formulations of elements and links over networkx; no I/O, no UI."""

from workbench.model.formulation import Change, Formulation
from workbench.model.naming import element_name, element_names, match_elements, resolve_element
from workbench.model.records import (
    CONFIDENCE_SCALE,
    STATUSES,
    TIME_FRAMES,
    CaseMeta,
    Comment,
    Element,
    Evidence,
    Link,
    SessionNote,
    confidence_name,
)

__all__ = [
    "CONFIDENCE_SCALE",
    "STATUSES",
    "TIME_FRAMES",
    "CaseMeta",
    "Change",
    "Comment",
    "Element",
    "Evidence",
    "Formulation",
    "Link",
    "SessionNote",
    "confidence_name",
    "element_name",
    "element_names",
    "match_elements",
    "resolve_element",
]
