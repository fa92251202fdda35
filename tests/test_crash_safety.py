"""Crash safety: a process killed at any moment while saving loses at most the version being saved.

A forked child saves versions in a loop; it is killed with SIGKILL at random
moments, many times. Every version is a pure function of its number (seeded
edits, a clock fixed per version), so the test knows what each version must
hold. After each kill every finished version still loads and equals what was
saved, and the next save works (cutting a half-written line first).
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import random
import signal
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import pytest
from fileformat_helpers import SOAK, random_edit, sample

import workbench
from workbench import _clock
from workbench.errors import IncompleteSaveWarning
from workbench.fileformat import StorePolicy, store
from workbench.model import formulation as formulation_module

KILLS = 40 * SOAK
#: Many snapshots and deltas within the versions a test saves.
POLICY = StorePolicy(snapshot_every=6)


@contextmanager
def clock_of(version: int) -> Iterator[None]:
    """While making version ``version``, every stamp is the same and new ids follow a seed."""
    original_now, original_secrets = _clock.now, formulation_module.secrets
    stamp = (
        f"2026-01-{1 + version // 86400:02d}T{version // 3600 % 24:02d}:{version // 60 % 60:02d}:"
        f"{version % 60:02d}Z"
    )
    ids = random.Random(f"ids-{version}")
    _clock.now = lambda: stamp  # type: ignore[assignment]
    formulation_module.secrets = SimpleNamespace(token_hex=lambda n: ids.randbytes(n).hex())  # type: ignore[assignment]
    try:
        yield
    finally:
        _clock.now = original_now  # type: ignore[assignment]
        formulation_module.secrets = original_secrets


def initial() -> workbench.Formulation:
    with clock_of(0):
        return sample()


def make_version(f: workbench.Formulation, version: int) -> None:
    """Turn the content of version - 1 into version ``version`` (deterministic)."""
    rng = random.Random(version)
    with clock_of(version):
        for _ in range(rng.randint(1, 3)):
            random_edit(f, rng)


def save_version(f: workbench.Formulation, path: Path, version: int) -> int:
    with clock_of(version):
        return workbench.save(
            f, path, message=f"Version {version}", author="Saver", session=version % 7, policy=POLICY
        )


class Expected:
    """The content every version must have, computed on demand."""

    def __init__(self) -> None:
        self.versions = [initial()]

    def __getitem__(self, version: int) -> workbench.Formulation:
        while len(self.versions) <= version:
            f = self.versions[-1].copy()
            make_version(f, len(self.versions))
            self.versions.append(f)
        return self.versions[version]


def saver(path: str, done: ctypes.c_int) -> None:
    """The child: save version after version until killed; ``done`` is the last finished save."""
    warnings.simplefilter("ignore")
    p = Path(path)
    f = workbench.load(p) if p.exists() else initial()
    while True:
        version = (f.base_version or 0) + 1
        make_version(f, version)
        assert save_version(f, p, version) == version
        done.value = version


def load_quietly(path: Path, version: int | None = None) -> tuple[workbench.Formulation, int | None]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        f = workbench.load(path, version)
    lost = [w.message.lost_version for w in caught if isinstance(w.message, IncompleteSaveWarning)]
    return f, (lost[0] if lost else None)


@pytest.mark.slow
def test_killing_a_saving_process_at_random_moments_loses_at_most_the_version_being_saved(
    tmp_path: Path,
) -> None:
    path = tmp_path / "case.formulation.jsonl"
    expected = Expected()
    rng = random.Random(2026)
    context = multiprocessing.get_context("fork")
    finished = 0
    torn_seen = 0
    for _ in range(KILLS):
        # No lock: a child killed while holding a locked Value's lock would leave the parent waiting
        # on it for ever (a CI run hung so). An aligned int is written and read whole without one.
        done = context.Value("i", finished, lock=False)
        child = context.Process(target=saver, args=(str(path), done), daemon=True)
        child.start()
        time.sleep(rng.uniform(0.0, 0.06))
        os.kill(child.pid, signal.SIGKILL)  # type: ignore[arg-type]
        child.join()
        assert child.exitcode == -signal.SIGKILL
        finished = max(finished, done.value)
        if not path.exists():
            assert finished == 0  # killed while creating the file: nothing was promised yet
            continue
        store.CACHE.clear()  # read as a new process would
        latest, lost = load_quietly(path)
        torn_seen += lost is not None
        assert list(tmp_path.glob(".*.tmp")) == []  # a killed first save's leftover went on this open
        # every save that returned is there, and at most the one being saved is missing
        assert latest.base_version is not None and latest.base_version >= finished
        assert latest.base_version <= finished + 1
        assert latest == expected[latest.base_version]
        for version in {1, *rng.sample(range(1, latest.base_version + 1), min(3, latest.base_version))}:
            assert load_quietly(path, version)[0] == expected[version], version
        # the next save works, after cutting any half-written line
        f = latest
        version = f.base_version + 1
        make_version(f, version)
        assert save_version(f, path, version) == version
        assert workbench.load(path) == expected[version]
        finished = version
    workbench.validate(path)
    store.CACHE.clear()
    for version in range(1, finished + 1):
        assert workbench.load(path, version) == expected[version], version
    assert finished > KILLS  # the child really saved between kills
    print(f"{KILLS} kills, {finished} versions, {torn_seen} torn lines seen")


def test_a_save_cut_at_any_byte_leaves_every_earlier_version_and_the_next_save_works(tmp_path: Path) -> None:
    """Simulates a crash after each possible prefix of the appended line had reached the disk."""
    path = tmp_path / "case.formulation.jsonl"
    expected = Expected()
    f = initial()
    for version in range(1, 4):
        make_version(f, version)
        save_version(f, path, version)
    good = path.read_bytes()
    make_version(f, 4)
    save_version(f, path, 4)
    line = path.read_bytes()[len(good) :]
    cuts = [*range(1, len(line) - 1, max(1, len(line) // 60)), len(line) - 1]
    for cut in cuts:
        path.write_bytes(good + line[:cut])
        store.CACHE.clear()
        if cut == len(line) - 1:  # the whole line but its newline: a complete version, never dropped
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                assert workbench.load(path) == f
            continue
        with pytest.warns(IncompleteSaveWarning, match="the save of version 4 was interrupted"):
            g = workbench.load(path)
        assert g == expected[3] and g.base_version == 3
        with pytest.warns(IncompleteSaveWarning):
            assert workbench.load(path, 2) == expected[2]
        make_version(g, 4)
        assert save_version(g, path, 4) == 4
        assert path.read_bytes() == good + line  # the torn bytes were cut, the same line appended
