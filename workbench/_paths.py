"""Where the workbench finds its data files (templates, schemas, static assets)."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["builtin_templates_dir", "user_template_dirs"]

_PACKAGE_DIR = Path(__file__).resolve().parent

#: Environment variable naming extra template folders, separated like PATH.
TEMPLATE_PATH_ENV = "WORKBENCH_TEMPLATE_PATH"


def builtin_templates_dir() -> Path:
    """Return the folder of the templates shipped with the workbench.

    An installed wheel carries them as ``workbench/_templates``; a source
    checkout (and an editable install) uses the top-level ``templates/``.
    """
    packaged = _PACKAGE_DIR / "_templates"
    if packaged.is_dir():
        return packaged
    return _PACKAGE_DIR.parent / "templates"


def user_template_dirs() -> list[Path]:
    """Return the folders where users keep their own templates, in search order.

    These are the folders in ``$WORKBENCH_TEMPLATE_PATH`` followed by
    ``~/.config/formulation-workbench/templates``. Missing folders are skipped.
    """
    dirs = [Path(p) for p in os.environ.get(TEMPLATE_PATH_ENV, "").split(os.pathsep) if p]
    dirs.append(Path.home() / ".config" / "formulation-workbench" / "templates")
    return [d for d in dirs if d.is_dir()]
