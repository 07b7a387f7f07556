"""The CLI as a user runs it: formats, output files, exit codes, and bad input that never tracebacks."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from storyscope.cli import EXIT_NO_ARTICLES, EXIT_OK, EXIT_OUTPUT, EXIT_PARTIAL, EXIT_USAGE, main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


@pytest.fixture
def bad_inputs(tmp_path: Path) -> Path:
    """Two good articles and every kind of bad input the issue lists, in one directory."""
    d = tmp_path / "pile"
    d.mkdir()
    shutil.copy(EXAMPLES / "harbour_wire.txt", d / "good1.txt")
    shutil.copy(EXAMPLES / "meridian_post.json", d / "good2.json")
    shutil.copy(EXAMPLES / "harbour_wire.txt", d / "copy_of_good1.txt")  # duplicate
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(bytes(range(256)) * 64)
    with open(d / "huge.txt", "wb") as fh:  # 50 MB, sparse: refused by size before reading
        fh.truncate(50 * 1024 * 1024)
    (d / "bad_utf8.txt").write_bytes(b"Title: x\n\n\xff\xfe\xfa broken \xc3\x28 bytes \x80\x81" * 3)
    (d / "lines.jsonl").write_text(
        '{"id": "ok-line", "source": "Line Daily", "title": "Rain", "text": "'
        + "Heavy rain closed the coast road near Kalvarro on Tuesday, officials said. " * 3
        + '"}\n{"id": "broken", "source": \n',
        encoding="utf-8",
    )
    (d / "nothing.html").write_text("<html><head><title>x</title></head><body><nav>Home</nav></body></html>")
    return d


def test_bad_inputs_are_reported_and_the_rest_go_on(capsys, models, bad_inputs):
    code, out, err = run(capsys, "compare", str(bad_inputs), "--json", "-q")
    assert code == EXIT_OK
    report = json.loads(out)
    reasons = {Path(f["origin"].split(":")[0]).name: f["reason"] for f in report["failures"]}
    for name in ("empty.txt", "binary.txt", "huge.txt", "nothing.html"):
        assert name in reasons, (name, reasons)
    assert "50" in reasons["huge.txt"] or "52" in reasons["huge.txt"]  # says the size
    assert any(f["origin"].endswith("lines.jsonl:2") for f in report["failures"])
    # invalid UTF-8: either refused with a reason or decoded with a notice saying how
    assert "bad_utf8.txt" in reasons or any(n["code"] == "decoded_with_fallback" for n in report["notices"])
    assert any(n["code"] == "duplicate_article" for n in report["notices"])
    sources = {a["source"] for a in report["articles"]}
    assert {"Harbour Wire", "Meridian Post", "Line Daily"} <= sources
    assert "skipped" in err  # the failures are also told on stderr


def test_strict_mode_exits_1_when_an_input_failed(capsys, models, bad_inputs):
    code, _, _ = run(capsys, "compare", str(bad_inputs), "--json", "-q", "--strict")
    assert code == EXIT_PARTIAL


def test_single_article_gives_a_well_formed_report_saying_so(capsys, models):
    code, out, _ = run(capsys, "compare", str(EXAMPLES / "harbour_wire.txt"), "--json", "-q")
    assert code == EXIT_OK
    report = json.loads(out)
    assert [n["code"] for n in report["notices"]] == ["single_article"]
    assert report["conflicts"] == [] and report["omissions"] == []
    assert all(f["coverage"] == "one" for f in report["facts"])


def test_nothing_usable_exits_3_with_reasons(capsys, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    code, out, err = run(capsys, "compare", str(tmp_path / "empty.txt"), str(tmp_path / "missing.txt"))
    assert code == EXIT_NO_ARTICLES
    assert out == ""
    assert "empty.txt" in err and "missing.txt" in err


def test_usage_errors_exit_2(capsys):
    assert main(["compare", str(EXAMPLES), "--format", "pdf"]) == EXIT_USAGE
    assert main([]) == EXIT_USAGE
    capsys.readouterr()


@pytest.mark.parametrize("fmt,marker", [("md", "# "), ("html", "<!DOCTYPE html"), ("text", "Summary")])
def test_formats_written_to_a_file(capsys, models, tmp_path, fmt, marker):
    target = tmp_path / f"report.{fmt}"
    code, out, err = run(capsys, "compare", str(EXAMPLES), "--format", fmt, "-o", str(target))
    assert code == EXIT_OK and out == ""
    assert marker in target.read_text(encoding="utf-8")
    assert str(target) in err


def test_unwritable_output_exits_5(capsys, models, tmp_path):
    code, _, err = run(capsys, "compare", str(EXAMPLES), "-q", "-o", str(tmp_path / "no" / "such" / "dir.md"))
    assert code == EXIT_OUTPUT and "cannot write" in err


def test_stdin_jsonl(capsys, models, monkeypatch):
    lines = [
        json.dumps({"id": f"s{i}", "source": src, "title": "Road closed", "text": text})
        for i, (src, text) in enumerate(
            [
                ("Alpha News", "The coast road near Kalvarro was closed on Tuesday after a landslide. "
                 "Police said 12 people were killed. Rescue teams searched through the night."),
                ("Beta Daily", "A landslide closed the coast road near Kalvarro on Tuesday. "
                 "At least 15 people were killed, police said. Rescuers worked through the night."),
            ]
        )
    ]
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("\n".join(lines).encode())))
    code, out, _ = run(capsys, "compare", "-", "--json", "-q")
    assert code == EXIT_OK
    report = json.loads(out)
    assert {a["source"] for a in report["articles"]} == {"Alpha News", "Beta Daily"}


def test_console_script_runs_as_installed(tmp_path):
    """The real entry point in a subprocess: what the README's demo command runs."""
    exe = shutil.which("storyscope", path=str(Path(sys.executable).parent)) or shutil.which("storyscope")
    cmd = [exe] if exe else [sys.executable, "-m", "storyscope"]
    proc = subprocess.run([*cmd, "compare", str(EXAMPLES), "--format", "md"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "Kalvarro" in proc.stdout
