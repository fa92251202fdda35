"""The user's own copy of the example notebooks and cases, in the cases folder.

``scripts/start`` opens JupyterLab on the cases folder (``~/formulations``, or
``$WORKBENCH_CASES``), never on the checkout: :func:`prepare_workspace` copies the
example notebooks and the fictional cases there the first time and never
overwrites a copy that exists (it is the user's now), so the checkout stays clean
whatever the user does in the app. Each start also removes the widget outputs
saved in the example notebooks: they point at widgets of a kernel that is gone
and would show "Error displaying widget: model not found" until run again.

>>> python -m workbench.workspace notebooks ~/formulations   # doctest: +SKIP
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from workbench._paths import cases_home

__all__ = ["WIDGET_VIEW", "clear_widget_outputs", "copy_new", "main", "prepare_workspace"]

#: The output type of a widget in a notebook cell.
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

_SKIP_FOLDERS = frozenset({".ipynb_checkpoints", "__pycache__"})


def prepare_workspace(source: str | os.PathLike[str], folder: str | os.PathLike[str]) -> list[Path]:
    """Copy the notebooks and cases under ``source`` into ``folder`` where missing; return what was copied.

    A file that exists in ``folder`` is never replaced. The example notebooks in
    ``folder`` are then cleared of stale widget outputs (:func:`clear_widget_outputs`).
    """
    src, dest = Path(source), Path(folder)
    dest.mkdir(parents=True, exist_ok=True)
    copied: list[Path] = []
    for item in sorted(src.rglob("*")):
        rel = item.relative_to(src)
        if not item.is_file() or item.suffix == ".lock" or _SKIP_FOLDERS.intersection(rel.parts):
            continue
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if copy_new(item, target):
            copied.append(target)
    for notebook in sorted(src.glob("*.ipynb")):
        clear_widget_outputs(dest / notebook.name)
    return copied


def clear_widget_outputs(notebook: str | os.PathLike[str]) -> bool:
    """Remove widget outputs and saved widget state from ``notebook``; return whether it changed.

    Other outputs stay. The file is replaced atomically, and left alone if it
    is not a notebook that can be read.
    """
    path = Path(notebook)
    try:
        nb: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    changed = False
    for cell in nb.get("cells", []):
        outputs = cell.get("outputs")
        if not isinstance(outputs, list):
            continue
        kept = [o for o in outputs if not (isinstance(o, dict) and WIDGET_VIEW in o.get("data", {}))]
        if len(kept) != len(outputs):
            cell["outputs"] = kept
            changed = True
    metadata = nb.get("metadata", {})
    if isinstance(metadata, dict) and "widgets" in metadata:
        del metadata["widgets"]
        changed = True
    if changed:
        text = json.dumps(nb, indent=1, ensure_ascii=False) + "\n"
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temp, path)
    return changed


def main(argv: list[str] | None = None) -> int:
    """``python -m workbench.workspace SOURCE [FOLDER]``: prepare the workspace, print its folder."""
    args = sys.argv[1:] if argv is None else argv
    if not 1 <= len(args) <= 2:
        print("usage: python -m workbench.workspace SOURCE [FOLDER]", file=sys.stderr)
        return 2
    folder = Path(args[1]).expanduser() if len(args) == 2 else cases_home()
    try:
        copied = prepare_workspace(args[0], folder)
    except OSError as err:
        print(f"error: the cases folder {folder} cannot be prepared: {err.strerror or err}.", file=sys.stderr)
        return 1
    if copied:
        print(f"Copied {len(copied)} example files into {folder} (your own copies: edit them freely).",
              file=sys.stderr)
    print(folder.resolve())
    return 0


def copy_new(source: Path, target: Path, *, owner: tuple[int, int] | None = None,
             mode: int | None = None) -> bool:
    """Copy ``source`` to ``target`` only if ``target`` does not exist; return whether it copied.

    Never overwrites, even in a race: the copy is written to a temporary file and given its
    name with ``link()``, which fails if the name exists. ``owner`` (uid, gid) and ``mode`` are
    set on the copy before it gets its name (the file system's default otherwise).
    """
    if target.exists() or target.is_symlink():
        return False
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        shutil.copyfile(source, temp)
        if owner is not None:
            os.chown(temp, *owner)
        if mode is not None:
            os.chmod(temp, mode)
        try:
            os.link(temp, target)  # fails if target appeared meanwhile: never overwrite
        except FileExistsError:
            return False
        except OSError:  # a file system without hard links: create exclusively instead
            try:
                out = open(target, "xb")  # noqa: SIM115 (closed below, after owner and mode)
            except FileExistsError:
                return False
            with out, open(temp, "rb") as data:
                if owner is not None:
                    os.fchown(out.fileno(), *owner)
                if mode is not None:
                    os.fchmod(out.fileno(), mode)
                shutil.copyfileobj(data, out)
    finally:
        os.unlink(temp)
    return True


if __name__ == "__main__":
    sys.exit(main())
