"""Property-based tests (hypothesis): random formulations and random edit sequences.

- every saved version reloads exactly (``==`` and field by field), whatever
  mix of snapshots, deltas, cold saves and restores wrote it, and every line
  carries a checksum that verifies;
- ``apply_diff(a, diff(a, b)) == b``, and the diff is empty exactly when ``a == b``.
"""

from __future__ import annotations

import json
import random
import tempfile
from pathlib import Path

from fileformat_helpers import random_edit, same_fields, sample
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import workbench
from workbench.diffing import apply_diff, diff
from workbench.fileformat import StorePolicy, checksum, store

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def random_formulation(rng: random.Random, edits: int) -> workbench.Formulation:
    template = rng.choice(["psychodynamic", "psychodynamic", "ccrt", "malan"])
    f = (
        sample(template)
        if template == "psychodynamic" and rng.random() < 0.5
        else workbench.new(template, case_id=f"C-{rng.randint(1, 99)}")
    )
    for _ in range(edits):
        random_edit(f, rng)
    return f


@SETTINGS
@given(
    rng=st.randoms(use_true_random=False),
    steps=st.lists(
        st.tuples(st.integers(0, 4), st.sampled_from(["save", "save", "cold", "restore"])),
        min_size=1,
        max_size=12,
    ),
    snapshot_every=st.sampled_from([2, 3, 200]),
)
def test_every_saved_version_reloads_exactly(
    rng: random.Random, steps: list[tuple[int, str]], snapshot_every: int
) -> None:
    saved: list[workbench.Formulation] = []
    restored: set[int] = set()
    policy = StorePolicy(snapshot_every=snapshot_every)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "case.formulation.jsonl"
        f = random_formulation(rng, rng.randint(0, 6))
        for edits, how in steps:
            if how == "restore" and saved:
                back = rng.randint(1, len(saved))
                assert workbench.restore(path, back, author="Supervisor", policy=policy) == len(saved) + 1
                saved.append(saved[back - 1].copy())
                restored.add(len(saved))
                f = workbench.load(path)
                continue
            for _ in range(edits):
                random_edit(f, rng)
            if how == "cold":
                store.CACHE.clear()
            version = workbench.save(
                f,
                path,
                message=f"step {len(saved)}",
                author="Dr A",
                session=rng.choice([None, len(saved)]),
                policy=policy,
            )
            assert version == len(saved) + 1 and f.base_version == version and not f.modified
            saved.append(f.copy())
        workbench.validate(path)
        raw = path.read_bytes().split(b"\n")
        file_id = json.loads(raw[0])["file_id"]
        assert raw[-1] == b"" and all(checksum.intact(line, file_id) for line in raw[:-1])
        store.CACHE.clear()
        for version, expected in enumerate(saved, start=1):
            got = workbench.load(path, version)
            assert got == expected, f"version {version}"
            same_fields(got, expected, order=version not in restored)
        assert workbench.history(path)["version"].tolist() == list(range(1, len(saved) + 1))


@SETTINGS
@given(rng=st.randoms(use_true_random=False), before=st.integers(0, 12), after=st.integers(0, 12))
def test_apply_diff_explains_every_difference(rng: random.Random, before: int, after: int) -> None:
    a = random_formulation(rng, before)
    b = a.copy()
    for _ in range(after):
        random_edit(b, rng)
    d = diff(a, b)
    result = apply_diff(a, d)
    assert result == b
    same_fields(result, b, order=False)
    assert d.is_empty == (a == b)
    assert apply_diff(b, diff(b, a)) == a  # and back
    rows = d.to_frame()
    assert len(rows) == (
        sum(
            len(getattr(d, f"{g}_{c}"))
            for g in ("elements", "links", "comments", "sessions")
            for c in ("added", "removed")
        )
        + sum(
            len(rc.fields)
            for g in ("elements", "links", "comments", "sessions")
            for rc in getattr(d, f"{g}_changed")
        )
        + len(d.meta_changed)
    )


@SETTINGS
@given(rng=st.randoms(use_true_random=False))
def test_diff_between_unrelated_formulations_replaces_everything(rng: random.Random) -> None:
    a = random_formulation(rng, rng.randint(0, 8))
    b = workbench.new(a.template.id, case_id="Other")
    for _ in range(rng.randint(0, 8)):
        random_edit(b, rng)
    d = diff(a, b)
    assert {el.id for el in d.elements_removed} == {el.id for el in a.element_records()}
    assert {el.id for el in d.elements_added} == {el.id for el in b.element_records()}
    assert apply_diff(a, d) == b
    assert d.is_empty == (a == b)
