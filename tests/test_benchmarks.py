"""The benchmark scripts fail in a sentence and leave nothing behind (they are run on demand)."""

from __future__ import annotations

import importlib.util
import sys
import tempfile
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _bench(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_fileformat_bench_says_a_missing_folder_in_a_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere"
    assert _bench("bench_fileformat").main(["--folder", str(missing)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: the folder") and str(missing) in err and "Traceback" not in err
    assert not missing.exists()


@pytest.mark.slow
def test_fileformat_bench_removes_its_temporary_folder_and_reports_wall_and_cpu_ratios(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert _bench("bench_fileformat").main(["--versions", "40", "--rounds", "2"]) == 0
    out = capsys.readouterr().out
    assert list(tmp_path.iterdir()) == []  # the default run leaves no folder behind
    assert "Save ratio per round" in out
    ratio_lines = [line for line in out.splitlines() if "wall: median" in line]
    assert [line.split()[0] for line in ratio_lines] == ["warm", "cold"]
    assert all("cpu: median" in line for line in ratio_lines)


def test_share_safe_bench_runs_and_compares_with_plain_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert _bench("bench_share_safe").main(["--repeats", "1", "--scale", "0.05"]) == 0
    out = capsys.readouterr().out
    assert "hostile / plain" in out


def test_history_bench_refuses_a_baseline_without_workbench_in_a_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    assert _bench("bench_history").main(["--source", str(tmp_path), "--cache", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and "holds no workbench/" in err and "Traceback" not in err


@pytest.mark.slow
def test_history_bench_compares_log_with_a_baseline_and_checks_the_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    this_checkout = str(BENCHMARKS.parent)
    args = ["--source", this_checkout, "--versions", "12", "--rounds", "1", "--cache", str(tmp_path)]
    assert _bench("bench_history").main(args) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.startswith("workbench log")]
    assert len(lines) == 2 and all("ratio wall" in line and "same output" in line for line in lines)
    assert out.count("same table") == 2
    assert [p.name for p in tmp_path.iterdir()] == ["versions-12.formulation.json"]


def test_hub_bench_refuses_too_many_users_in_a_sentence(capsys: pytest.CaptureFixture[str]) -> None:
    assert _bench("bench_hub").main(["--users", "41"]) == 2
    err = capsys.readouterr().err
    assert err == "error: --users must be from 1 to 40.\n"


def test_page_tasks_bench_says_bad_sizes_in_a_sentence(capsys: pytest.CaptureFixture[str]) -> None:
    assert _bench("bench_page_tasks").main(["--sizes", "50,many"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --sizes takes whole numbers") and "Traceback" not in err
