"""Bad formulation files: each gives one clear sentence that names the file and the place.

The corpus is built here from a good two-version file (a snapshot, then a
delta), changed in one way per case; ``load`` and ``validate`` must both
raise the error class and the exact message given.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fileformat_helpers import reseal, sample

import workbench
from workbench.errors import (
    FileContentError,
    FormulationFileError,
    NewerFormatError,
    NotAFormulationFile,
    NotJSONError,
    TruncatedFileError,
)
from workbench.fileformat import store, writer

Lines = list[dict[str, Any]]


def good_file(p: Path) -> None:
    f = sample()
    workbench.save(f, p, message="One", author="Dr Rivera", session=1)
    f.add_element("present_symptom", "Low mood", id="el-0004")
    f.add_link("el-0002", "el-0004", "expressed_as", id="ln-0003")
    workbench.save(f, p, message="Two", author="Dr Rivera", session=2)


def rewrite(p: Path, change: Callable[[Lines], None]) -> None:
    """Change the lines of ``p`` and write them back with fresh checksums, as a hostile tool could."""
    lines = [json.loads(raw) for raw in p.read_bytes().split(b"\n")[:-1]]
    file_id = lines[0]["file_id"]
    for line in lines:
        line.pop("check", None)
    change(lines)
    p.write_bytes(b"".join(writer.seal(writer.dumps(line), file_id) + b"\n" for line in lines))


def el(lines: Lines, index: int) -> dict[str, Any]:
    element: dict[str, Any] = lines[1]["snapshot"]["elements"][index]
    return element


KINDS = "kinds are: early_experience, unconscious_wish, unconscious_fear, defense"


def _set(target: dict[str, Any], key: str, value: Any) -> None:
    target[key] = value


def _third(lines: Lines) -> dict[str, Any]:
    """Turn version 2 into a snapshot and add a version 3 that wrongly builds on version 1."""
    third = json.loads(json.dumps(lines[2]))
    third["revision"].update(version=3, parent=2)
    third["delta"] = {}
    snapshot = json.loads(json.dumps(lines[1]["snapshot"]))
    snapshot["elements"] += lines[2]["delta"]["elements"]["added"]
    snapshot["links"] += lines[2]["delta"]["links"]["added"]
    lines[2]["snapshot"] = snapshot
    lines[2]["revision"]["stored"] = {"base": 2, "delta_bytes": 0, "snapshot_bytes": 100}
    del lines[2]["delta"]
    return third


# name -> (how to break the good file, error class, expected message after "<path>")
JSON_CASES: dict[str, tuple[Callable[[Lines], None], type[FormulationFileError], str]] = {
    "wrong type of a field": (
        lambda ls: _set(el(ls, 0), "confidence", "high"),
        FileContentError,
        ", line 2 (version 1), element 'el-0001', field 'confidence': \"high\" should be a number or null.",
    ),
    "wrong type in evidence": (
        lambda ls: _set(el(ls, 0)["evidence"][0], "session", "one"),
        FileContentError,
        ", line 2 (version 1), element 'el-0001', field 'evidence[1].session': \"one\" should be a whole "
        "number or null.",
    ),
    "missing field": (
        lambda ls: el(ls, 1).pop("label"),
        FileContentError,
        ", line 2 (version 1), element 'el-0002': the field 'label' is missing.",
    ),
    "field of another format": (
        lambda ls: _set(el(ls, 1), "colour", "red"),
        FileContentError,
        ", line 2 (version 1), element 'el-0002': the field 'colour' is not part of format 2.",
    ),
    "wrong type in the revision": (
        lambda ls: _set(ls[2]["revision"], "author", ["Dr", "Ng"]),
        FileContentError,
        ', line 3 (version 2), revision, field \'author\': ["Dr", "Ng"] should be text.',
    ),
    "status out of the list": (
        lambda ls: _set(el(ls, 2), "status", "certain"),
        FileContentError,
        ", line 2 (version 1), element 'el-0003', field 'status': \"certain\" is not one of: \"hypothesis\", "
        '"supported", "discarded".',
    ),
    "unknown element kind": (
        lambda ls: _set(el(ls, 2), "kind", "dream"),
        FileContentError,
        f", line 2 (version 1), element 'el-0003': 'dream' is not an element kind of template "
        f"'psychodynamic'; {KINDS}",
    ),
    "unknown link kind in a delta": (
        lambda ls: _set(ls[2]["delta"]["links"]["added"][0], "kind", "loves"),
        FileContentError,
        ", line 3 (version 2), link 'ln-0003': 'loves' is not a link kind of template 'psychodynamic'; "
        "kinds are: gives_rise_to",
    ),
    "link kind not allowed": (
        lambda ls: _set(ls[1]["snapshot"]["links"][0], "kind", "defends_against"),
        FileContentError,
        ", line 2 (version 1), link 'ln-0001': a 'defends_against' link cannot go from 'early_experience' to "
        "'unconscious_fear' in template 'psychodynamic'; allowed here: gives_rise_to, maintains.",
    ),
    "dangling link in a snapshot": (
        lambda ls: _set(ls[1]["snapshot"]["links"][0], "target", "el-9999"),
        FileContentError,
        ", line 2 (version 1), link 'ln-0001': its target 'el-9999' is not an element of this formulation "
        "(a dangling link).",
    ),
    "dangling link left by a delta": (
        lambda ls: ls[2]["delta"].update({"elements": {"removed": [el(ls, 0)]}, "links": {"removed": []}}),
        FileContentError,
        ", line 3 (version 2), link 'ln-0001': its source 'el-0001' is not an element of this formulation "
        "(a dangling link).",
    ),
    "duplicate element id": (
        lambda ls: _set(el(ls, 1), "id", "el-0001"),
        FileContentError,
        ", line 2 (version 1), element 'el-0001': the id 'el-0001' is used twice.",
    ),
    "link id already used by an element": (
        lambda ls: _set(ls[2]["delta"]["links"]["added"][0], "id", "el-0002"),
        FileContentError,
        ", line 3 (version 2), link 'el-0002': the id 'el-0002' is used twice.",
    ),
    "delta that does not fit": (
        lambda ls: _set(
            ls[2]["delta"],
            "elements",
            {"changed": [{"id": "el-0001", "fields": {"label": ["Something else", "New"]}}]},
        ),
        FileContentError,
        ", line 3 (version 2), element 'el-0001': field 'label' is changed from 'Something else' but was "
        "'Father often absent' in the version before.",
    ),
    "unknown template": (
        lambda ls: _set(ls[0], "template", "nope"),
        FileContentError,
        ", line 1: the file uses a template that is not installed: There is no template 'nope'; installed "
        "templates are: ccrt",
    ),
    "header with a bad file id": (
        lambda ls: _set(ls[0], "file_id", 12),
        FileContentError,
        ", line 1, field 'file_id': 12 should be text.",
    ),
    "newer format": (
        lambda ls: _set(ls[0], "format_version", 3),
        NewerFormatError,
        ": This file was written by a newer version of Formulation Workbench (format 3); this version "
        "reads formats up to 2. Please update.",
    ),
    "header missing": (
        lambda ls: ls.pop(0),
        NotAFormulationFile,
        ": the header line is missing (line 1 holds a saved version).",
    ),
    "a version out of place": (
        lambda ls: ls.pop(1),
        FileContentError,
        ", line 2: it holds version 2 where version 1 belongs.",
    ),
    "delta that names the wrong snapshot": (
        lambda ls: ls[2]["revision"]["stored"].update({"base": 1}) or ls.append(_third(ls)),
        FileContentError,
        ", line 4 (version 3), revision: the delta names version 1 as its snapshot, but the last "
        "snapshot is version 2.",
    ),
    "case of another template": (
        lambda ls: _set(ls[1]["snapshot"]["meta"], "template", "ccrt"),
        FileContentError,
        ", line 2 (version 1), case details: the case names template 'ccrt' but the file header names "
        "'psychodynamic'.",
    ),
}

BYTE_CASES: dict[str, tuple[Callable[[bytes], bytes], type[FormulationFileError], str]] = {
    "empty file": (lambda b: b"", NotAFormulationFile, ": the file is empty; it is not a formulation file."),
    "not JSON at all": (
        lambda b: b"case;label\nC-1;Low mood\n",
        NotJSONError,
        ", line 1: the line is not JSON (Expecting value at character 1).",
    ),
    "another JSON file": (
        lambda b: b'{"nbformat": 4, "cells": []}\n',
        NotAFormulationFile,
        ": line 1 is not a Formulation Workbench header, so this is not a formulation file.",
    ),
    "truncated inside the first version": (
        lambda b: b[: b.index(b"\n") + 200],
        TruncatedFileError,
        ", line 2: the first version is cut short; there is nothing to load.",
    ),
    "truncated inside the header": (
        lambda b: b[:40],
        TruncatedFileError,
        ", line 1: the file header is cut short; the file holds no saved version.",
    ),
    "header only": (
        lambda b: b[: b.index(b"\n") + 1],
        TruncatedFileError,
        ", line 2: the file holds no saved version; there is nothing to load.",
    ),
    "a line that is not JSON": (
        lambda b: b.split(b"\n")[0] + b"\n" + b.split(b"\n")[1][:-1] + b"\n" + b.split(b"\n")[2] + b"\n",
        NotJSONError,
        ", line 2 (version 1): the line is not JSON (Expecting ',' delimiter at character ",
    ),
    "not UTF-8": (
        lambda b: b.replace(b"Father often absent", b"Father \xff absent"),
        NotJSONError,
        ", line 2 (version 1): the line is not UTF-8 text (byte ",
    ),
}


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    p = tmp_path / "bad.formulation.jsonl"
    good_file(p)
    store.CACHE.clear()
    return p


def expect(p: Path, kind: type[FormulationFileError], message: str) -> None:
    for action in (workbench.load, workbench.validate):
        with pytest.raises(kind) as caught:
            action(p)
        text = str(caught.value)
        assert text.startswith(str(p) + message), f"{action.__name__}: {text}"
        assert "\n" not in text and len(text) < 400
        assert caught.value.path == str(p)


@pytest.mark.parametrize("case", sorted(JSON_CASES))
def test_bad_json_content_is_named_with_its_place(bad: Path, case: str) -> None:
    change, kind, message = JSON_CASES[case]
    rewrite(bad, change)
    expect(bad, kind, message)


@pytest.mark.parametrize("case", sorted(BYTE_CASES))
def test_broken_bytes_are_named_with_their_place(bad: Path, case: str) -> None:
    change, kind, message = BYTE_CASES[case]
    bad.write_bytes(reseal(change(bad.read_bytes())))
    expect(bad, kind, message)


def test_a_missing_file_and_a_folder_are_file_errors(tmp_path: Path) -> None:
    with pytest.raises(FormulationFileError, match=r"nothing.formulation.jsonl: there is no such file\."):
        workbench.load(tmp_path / "nothing.formulation.jsonl")
    with pytest.raises(FormulationFileError, match="this is a folder, not a formulation file"):
        workbench.history(tmp_path)


def test_a_bad_file_is_never_written_to(bad: Path) -> None:
    f = workbench.load(bad)
    rewrite(bad, lambda ls: _set(el(ls, 0), "kind", "dream"))
    before = bad.read_bytes()
    f.update_element("el-0001", label="Changed")
    store.CACHE.clear()
    with pytest.raises(FileContentError, match="'dream' is not an element kind"):
        workbench.save(f, bad, message="x", author="A")
    assert bad.read_bytes() == before
