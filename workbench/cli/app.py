"""Run the workbench app without visible code, as a Voilà page on this machine.

``workbench app PATH`` calls :func:`launch`: it writes a one-cell notebook that
opens the case, and serves it with Voilà on 127.0.0.1 with the workbench's own
Voilà template (``workbench/_voila``), which loads nothing from the internet.

Where cases live: the notebook is written into a private temporary folder (and
Voilà's kernel runs there), but it hands the app the folder ``workbench app``
was run from, so a file name typed in the app lands where the user can find it:
a relative ``PATH`` and every relative name typed in the app are taken inside
the shell's current folder; ``workbench app`` without a ``PATH`` uses the cases
folder (``~/formulations``, or ``$WORKBENCH_CASES``). A ``PATH`` with no file
yet opens the app's start screen on it, or, with ``--case-id``, is created
(version 1, as ``workbench new`` does) and opened.

Access: Voilà 0.5 asks for the access token on the page, the kernel API and the
kernel websocket (a request without it is redirected to ``/login`` or refused with
403). The token is therefore kept off every command line, where any user of a
shared machine could read it (``ps``): Voilà gets it in its environment
(``JUPYTER_TOKEN``, readable only by the same user), and the browser is opened on a
private redirect page (mode 0600) rather than on the address with the token.

The pieces are public so that tests start the very same server:

>>> nb = app_notebook("/cases/demo.formulation.json")
>>> print(nb["cells"][0]["source"])
import workbench
workbench.app('/cases/demo.formulation.json')
"""

from __future__ import annotations

import argparse
import html
import importlib.util
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import webbrowser
from pathlib import Path
from typing import Any

import workbench
from workbench._paths import case_path, cases_home, make_case_folder
from workbench.cli._common import Command, login_name
from workbench.errors import InvalidValue, WorkbenchError
from workbench.templates import DEFAULT_TEMPLATE

__all__ = [
    "COMMANDS",
    "TEMPLATE_NAME",
    "VOILA_DATA_DIR",
    "app_notebook",
    "configure_command",
    "free_port",
    "launch",
    "prepare_case",
    "run_command",
    "voila_command",
    "voila_env",
    "wait_until_up",
    "write_app_notebook",
    "write_redirect_page",
]

#: The folder holding the workbench's Voilà template (``voila/templates/workbench``).
VOILA_DATA_DIR = Path(__file__).resolve().parents[1] / "_voila"

#: The name of the offline Voilà template.
TEMPLATE_NAME = "workbench"

_NOTEBOOK_NAME = "Formulation Workbench.ipynb"
_REDIRECT_NAME = "open-workbench.html"

#: Seconds to wait for Voilà to listen.
START_TIMEOUT = 60.0


def launch(path: str | os.PathLike[str] | None, port: int | None = None, open_browser: bool = True, *,
           folder: str | os.PathLike[str] | None = None, template: str | None = None,
           case_id: str | None = None, title: str = "") -> int:
    """Serve the app for the case file ``path`` with Voilà until stopped; return an exit code.

    The page is served on 127.0.0.1 only, with a fresh access token, and
    ``open_browser`` opens it in the default web browser. Stop with Ctrl+C.
    ``path`` and ``folder`` are used as :func:`prepare_case` says; ``template``
    and ``case_id`` start a case at ``path`` when there is no file there yet.
    """
    case, folder = prepare_case(path, folder=folder, template=template, case_id=case_id, title=title)
    port = port or free_port()
    token = secrets.token_hex(16)
    previous = signal.signal(signal.SIGTERM, _interrupt)  # stop Voilà too when we are told to stop
    try:
        with tempfile.TemporaryDirectory(prefix="workbench-app-") as temporary:
            notebook = write_app_notebook(case, Path(temporary), cases_folder=folder, template=template)
            # Its own session: Ctrl+C reaches only this launcher, which then stops Voilà cleanly.
            process = subprocess.Popen(voila_command(notebook, port=port, preheat=_preheat()),
                                       env=voila_env(token=token),
                                       start_new_session=True)
            url = f"http://127.0.0.1:{port}/?token={token}"
            try:
                if not wait_until_up(port, timeout=START_TIMEOUT, process=process):
                    if process.poll() is not None:
                        return process.returncode  # Voilà said why
                    raise WorkbenchError(f"The app did not start within {START_TIMEOUT:.0f} seconds.")
                print(f"The Formulation Workbench is open at {url}  (stop it with Ctrl+C)", flush=True)
                if open_browser:
                    # Not the address itself: a browser's command line can be read by anyone on the machine.
                    webbrowser.open(write_redirect_page(url, Path(temporary)).as_uri())
                return process.wait()
            except KeyboardInterrupt:
                return 0
            finally:
                _stop(process)
    finally:
        signal.signal(signal.SIGTERM, previous)


def prepare_case(path: str | os.PathLike[str] | None, *, folder: str | os.PathLike[str] | None = None,
                 template: str | None = None, case_id: str | None = None,
                 title: str = "") -> tuple[Path | None, Path]:
    """Decide where the app works; return ``(case file or None, folder)``.

    ``folder`` (where relative names go) defaults to the current folder when a
    ``path`` is given and to the cases folder (:func:`~workbench._paths.cases_home`,
    created if needed) when not. A ``path`` whose file does not exist yet is
    fine (the app offers to start a case there), unless its folder is missing
    outside ``folder``; with ``case_id`` the case is created there first
    (version 1, from ``template``). Raises :class:`WorkbenchError` with a
    sentence for the user.
    """
    if path is None:
        if case_id:
            raise InvalidValue("Name the file of the new case, e.g. workbench app c-017.formulation.json "
                                 "--case-id C-017.")
        home = Path(folder) if folder is not None else cases_home()
        try:
            home.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise WorkbenchError(f"The cases folder {home} cannot be created: {err.strerror or err}.") \
                from None
        return None, Path(os.path.abspath(home))
    base = Path(os.path.abspath(folder)) if folder is not None else Path.cwd()
    case = case_path(path, base)
    if case.is_dir():
        raise WorkbenchError(f"{case} is a folder; give the name of a case file in it.")
    if case_id is None:
        if not case.exists() and not case.parent.is_dir() and not case.parent.is_relative_to(base):
            raise WorkbenchError(f"There is no case file at {case}, and its folder {case.parent} "
                                 "does not exist.")
        return case, base
    if case.exists():
        raise WorkbenchError(f"{case} already exists; open it without --case-id, or choose another name.")
    make_case_folder(case, base)
    formulation = workbench.new(template or DEFAULT_TEMPLATE, case_id=case_id, title=title)
    workbench.save(formulation, case, message="New formulation", author=login_name() or "workbench")
    print(f"Created {case}: case {formulation.meta.case_id} ({formulation.template.id}), version 1.",
          flush=True)
    return case, base


def configure_command(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of ``workbench app`` to its subcommand ``parser``."""
    parser.add_argument("path", metavar="PATH", nargs="?", default=None,
                        help="the case file to open or start; relative names are taken in the current folder "
                             "(default: no file, the start screen in your cases folder, ~/formulations or "
                             "$WORKBENCH_CASES)")
    parser.add_argument("--template", "-t", default=None,
                        help="for a new case: the framework template (see 'workbench templates')")
    parser.add_argument("--case-id", default=None,
                        help="create the case at PATH with this pseudonymous id (else the app asks)")
    parser.add_argument("--title", default="", help="for a new case: a short title")
    parser.add_argument("--port", type=int, default=None, help="the port to serve on (default: a free one)")
    parser.add_argument("--no-browser", action="store_true", help="only print the address; open no browser")


def run_command(args: argparse.Namespace) -> int:
    """Run ``workbench app`` with the parsed ``args``; return the exit code."""
    return launch(args.path, port=args.port, open_browser=not args.no_browser, template=args.template,
                  case_id=args.case_id, title=args.title)


#: ``workbench app``, for :mod:`workbench.cli.commands` to register.
COMMANDS: tuple[Command, ...] = (
    Command("app", "open the workbench app in the browser, without code (Voilà, offline)", configure_command,
            run_command),
)


def app_notebook(
    case_path: str | os.PathLike[str] | None, *,
    cases_folder: str | os.PathLike[str] | None = None, template: str | None = None,
) -> dict[str, Any]:
    """Return a one-cell notebook (nbformat 4 as a dict) that opens the app on ``case_path``.

    ``cases_folder`` is where the app takes relative file names (else the
    kernel's working directory, the notebook's folder); ``template`` is the one
    the start screen offers first.
    """
    args = [repr(str(case_path))] if case_path is not None else []
    if template:
        args.append(f"template={template!r}")
    if cases_folder is not None:
        args.append(f"folder={str(cases_folder)!r}")
    source = f"import workbench\nworkbench.app({', '.join(args)})"
    return {
        "cells": [
            {"cell_type": "code", "execution_count": None, "id": "workbench-app",
             "metadata": {}, "outputs": [], "source": source}
        ],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
            "title": "Formulation Workbench",
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def write_app_notebook(
    case_path: str | os.PathLike[str] | None, folder: str | os.PathLike[str], *,
    cases_folder: str | os.PathLike[str] | None = None, template: str | None = None,
) -> Path:
    """Write the app notebook for ``case_path`` (made absolute) into ``folder``; return its path.

    ``cases_folder`` and ``template`` are passed on as :func:`app_notebook` says.
    """
    notebook = Path(folder) / _NOTEBOOK_NAME
    case = Path(case_path).resolve() if case_path is not None else None
    content = app_notebook(case, cases_folder=Path(cases_folder).resolve() if cases_folder else None,
                           template=template)
    notebook.write_text(json.dumps(content, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return notebook


def write_redirect_page(url: str, folder: str | os.PathLike[str]) -> Path:
    """Write a page that sends the browser on to ``url``, readable only by this user; return its path.

    ``url`` carries the access token, so the browser is opened on this file
    rather than on ``url`` (as Jupyter itself does): a command line is readable
    by every user of the machine, a mode-0600 file in a private folder is not.
    """
    page = Path(folder) / _REDIRECT_NAME
    target = html.escape(url, quote=True)
    content = (
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
        f"<meta http-equiv=\"refresh\" content=\"0;url={target}\">"
        "<title>Formulation Workbench</title></head>\n"
        f"<body><p><a href=\"{target}\">Open the Formulation Workbench</a></p></body></html>\n"
    )
    descriptor = os.open(page, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(content)
    os.chmod(page, 0o600)  # also if the file was there before
    return page


def voila_command(notebook: str | os.PathLike[str], *, port: int, preheat: bool = False) -> list[str]:
    """Return the command line that serves ``notebook`` with Voilà on 127.0.0.1:``port``.

    ``preheat`` starts a kernel and runs the notebook as soon as Voilà is up,
    before any page is asked for (Voilà's pre-heated kernel): the app is then
    ready, or nearly, when the browser arrives.

    Run it with the environment from :func:`voila_env`, which finds the offline
    template and holds the access token: the token is never on the command line
    (any user of the machine can list command lines). Without a token in the
    environment Voilà makes up a random one, so the page is never open to all.
    """
    return [
        sys.executable, "-m", "voila", str(notebook),
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0",
        "--Voila.auto_token=True",  # the token from JUPYTER_TOKEN (else a random one), never none
        f"--template={TEMPLATE_NAME}",
        "--theme=light",
        "--strip_sources=True",
        "--show_tracebacks=False",
        *(["--preheat_kernel=True", "--pool_size=1"] if preheat else []),
    ]


def voila_env(base: dict[str, str] | None = None, *, token: str | None = None) -> dict[str, str]:
    """Return ``base`` (default: this process's environment) with the workbench template on JUPYTER_PATH.

    ``token`` becomes Voilà's access token (``JUPYTER_TOKEN``); without it, any
    ``JUPYTER_TOKEN`` of ``base`` stays.
    """
    env = dict(os.environ if base is None else base)
    if token is not None:
        if not token:
            raise InvalidValue("The access token must not be empty.")
        env["JUPYTER_TOKEN"] = token
        env.pop("JUPYTER_TOKEN_FILE", None)
    paths = [str(VOILA_DATA_DIR), *[p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p]]
    shared = _voila_data_dir()
    if shared is not None and str(shared) not in paths:
        paths.append(str(shared))  # Voilà's own templates, which ours extends
    env["JUPYTER_PATH"] = os.pathsep.join(paths)
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    return env


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(port: int, *, timeout: float, process: subprocess.Popen[Any] | None = None) -> bool:
    """Wait until a server listens on 127.0.0.1:``port``, the ``process`` ends, or ``timeout`` passes.

    Returns whether the server is listening. (Asking Voilà for its page would
    start a kernel, so this only opens a connection.)
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            time.sleep(0.2)
    return False


def _preheat() -> bool:
    """Whether ``workbench app`` pre-heats Voilà's kernel (only with ``WORKBENCH_VOILA_PREHEAT=1``).

    Off by default: ``benchmarks/bench_app.py --preheat both`` measured no clear
    gain on a busy 2-core machine, and Voilà refills its pool by running the app
    in a second kernel just when the user starts working.
    """
    return os.environ.get("WORKBENCH_VOILA_PREHEAT", "0").strip() == "1"


def _voila_data_dir() -> Path | None:
    """Voilà's ``share/jupyter`` folder when Jupyter would not look there by itself, else ``None``.

    A virtual environment made with ``--system-site-packages`` imports a Voilà
    installed outside it, but Jupyter then looks for that Voilà's templates only
    under the environment's own ``share/jupyter``, and the app's page fails.
    """
    spec = importlib.util.find_spec("voila")
    if spec is None or spec.origin is None:
        return None
    package = Path(spec.origin).resolve().parent  # <prefix>/lib/pythonX.Y/site-packages/voila
    shared = package.parents[3] / "share" / "jupyter"
    own = Path(sys.prefix).resolve() / "share" / "jupyter"
    if shared == own or not (shared / "voila" / "templates").is_dir():
        return None
    return shared


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _stop(process: subprocess.Popen[Any], grace: float = 10) -> None:
    """Stop a server process: SIGTERM, then kill if it does not end within ``grace`` seconds."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
