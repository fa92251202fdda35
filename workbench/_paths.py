"""Where the workbench finds its data files (templates, schemas, static assets) and keeps cases."""

from __future__ import annotations

import os
from pathlib import Path

from workbench.errors import InvalidValue, WorkbenchError, short

__all__ = [
    "builtin_templates_dir", "case_path", "cases_home", "file_name", "make_case_folder", "user_template_dirs",
]

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


# --- where cases live ------------------------------------------------------------------

#: Environment variable naming the default cases folder (instead of ``~/formulations``).
CASES_ENV = "WORKBENCH_CASES"


def cases_home() -> Path:
    """Return the default cases folder: ``$WORKBENCH_CASES``, else ``~/formulations``.

    It is where ``workbench app`` (without a file) and ``scripts/start`` keep
    cases; it is not created here.
    """
    named = os.environ.get(CASES_ENV, "").strip()
    return Path(os.path.abspath(Path(named).expanduser())) if named else Path.home() / "formulations"


def case_path(name: str | os.PathLike[str], folder: str | os.PathLike[str]) -> Path:
    """Return where the case file ``name`` lives: the one rule for every place that takes a file name.

    ``~`` is the user's home; an absolute name stays as it is; any other name is
    taken inside ``folder`` (the folder the app was opened on). The result is
    absolute, so messages can name the full path.

    >>> str(case_path("c-017.formulation.json", "/home/ana/formulations"))
    '/home/ana/formulations/c-017.formulation.json'
    >>> str(case_path("/srv/x.formulation.json", "/home/ana"))
    '/srv/x.formulation.json'
    """
    text = file_name(name).strip()
    if not text:
        raise InvalidValue("Please type a file name for the case.")
    path = Path(text).expanduser()
    if not path.is_absolute():
        path = Path(folder).expanduser() / path
    return Path(os.path.abspath(path))


def file_name(name: object) -> str:
    """The file name ``name`` (text or a path) as text; :class:`InvalidValue` if it cannot name a file.

    >>> file_name(Path("cases") / "c-017.formulation.json")
    'cases/c-017.formulation.json'
    >>> file_name(17)
    Traceback (most recent call last):
    ...
    workbench.errors.InvalidValue: A file name is text such as 'case.formulation.json', not 17.
    """
    text = os.fspath(name) if isinstance(name, str | os.PathLike) else None
    if not isinstance(text, str):
        raise InvalidValue(f"A file name is text such as 'case.formulation.json', not {short(name)}.")
    if "\0" in text:
        raise InvalidValue(f"The file name {short(text.replace(chr(0), ''))} holds a null character; "
                           "type it again.")
    return text


def make_case_folder(path: Path, folder: str | os.PathLike[str]) -> None:
    """Create the missing folders of the case file ``path``, but only inside ``folder``.

    A relative name such as ``cases/c-017.formulation.json`` gets its ``cases``
    folder made inside the app's folder; a missing folder anywhere else is an
    error (the app never writes outside what the user named).
    """
    parent = path.parent
    if parent.is_dir():
        return
    base = Path(os.path.abspath(Path(folder).expanduser()))
    if not parent.is_relative_to(base) or not base.is_dir():
        raise WorkbenchError(f"The folder {parent} does not exist; create it first, or choose another place.")
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise WorkbenchError(f"The folder {parent} cannot be created: {err.strerror or err}.") from None
