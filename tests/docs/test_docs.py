"""Every fenced ``bash`` and ``python`` block of README.md and docs/*.md runs here, so the docs cannot drift.

A page's blocks run in order in one temporary folder holding a copy of ``examples/``: shell blocks
through the real ``irsim`` command (this checkout on PYTHONPATH), Python blocks in one namespace per
page. A new page is picked up by its name alone. An HTML comment line right before a block (not
shown on GitHub) changes how it runs:

* ``<!-- test: skip REASON -->`` — not run; the reason is required (keep these rare);
* ``<!-- test: replace `OLD` with `NEW` -->`` — run with OLD replaced, e.g. a smaller population;
* ``<!-- test: expect EXPR -->`` — after the block EXPR must be true. Python blocks evaluate it in the
  page's namespace; shell blocks see ``out`` (their stdout) and ``json_out`` (each stdout line that is
  a JSON object, parsed). Both see ``out`` and ``approx``. This is how a number the docs quote is checked.

Fences name their language; blocks in any other language (``text``: diagrams, shown output) are not run.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
RUN = {"bash": "bash", "sh": "bash", "shell": "bash", "python": "python"}
NOT_RUN = {"text", "console", "csv", "json", "toml", "yaml"}
FENCE = re.compile(r"^```(\S*)\s*$")
MARKER = re.compile(r"^<!--\s*test:\s*(skip|replace|expect)\b\s*(.*?)\s*-->\s*$")
REPLACE = re.compile(r"^`([^`]+)`\s+with\s+`([^`]*)`$")


@dataclass
class Block:
    page: Path
    line: int  # of the opening fence, 1-based
    language: str
    code: str
    skip: str | None = None
    replacements: list[tuple[str, str]] = field(default_factory=list)
    expects: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        shown = self.page.relative_to(ROOT) if self.page.is_relative_to(ROOT) else self.page
        return f"{shown}:{self.line}"

    def source(self) -> str:
        code = self.code
        for old, new in self.replacements:
            assert old in code, f"{self.where}: 'replace' text {old!r} is not in the block"
            code = code.replace(old, new)
        return code


def blocks(page: Path) -> list[Block]:
    """The page's fenced blocks with the markers on the comment lines just above each."""
    found, markers, lines = [], [], page.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        marker, fence = MARKER.match(line), FENCE.match(line)
        if marker:
            markers.append((i + 1, marker.group(1), marker.group(2)))
        elif fence:
            end = next(j for j in range(i + 1, len(lines)) if lines[j].strip() == "```")
            block = Block(page, i + 1, fence.group(1), "\n".join(lines[i + 1:end]) + "\n")
            for at, kind, text in markers:
                if kind == "skip":
                    assert text, f"{page.name}:{at}: 'skip' needs a reason"
                    block.skip = text
                elif kind == "replace":
                    parsed = REPLACE.match(text)
                    assert parsed, f"{page.name}:{at}: write replace `OLD` with `NEW`"
                    block.replacements.append(parsed.groups())
                else:
                    block.expects.append(text)
            found.append(block)
            markers, i = [], end
        elif line and not line.startswith("<!--"):
            assert not markers, f"{page.name}:{markers[0][0]}: a test marker must stand right before a fence"
        i += 1
    assert not markers, f"{page.name}: a test marker after the last block"
    return found


def approx(expected, rel=None, abs=None):  # noqa: A002 - pytest's names
    return pytest.approx(expected, rel=rel, abs=abs)


@pytest.fixture(scope="module")
def irsim_on_path(tmp_path_factory) -> dict[str, str]:
    """An environment where ``irsim`` is this checkout's CLI, as after ``pip install``."""
    bin_dir = tmp_path_factory.mktemp("bin")
    shim = bin_dir / "irsim"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m irsim.cli "$@"\n')
    shim.chmod(0o755)
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
            "COLUMNS": "80", "MPLBACKEND": "Agg"}


def run_bash(block: Block, cwd: Path, env: dict[str, str]) -> dict:
    proc = subprocess.run(["bash", "-euo", "pipefail", "-c", block.source()], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, f"{block.where} failed (exit {proc.returncode}):\n{block.source()}\n{proc.stderr}"
    return {"out": proc.stdout, "json_out": json_objects(proc.stdout), "approx": approx}


def json_objects(text: str) -> list:
    """Every JSON object printed in ``text`` (one per line, or indented over several), in order."""
    decoder, found, at = json.JSONDecoder(), [], 0
    while (start := text.find("{", at)) >= 0:
        if start and text[start - 1] != "\n":  # an object starts a line
            at = start + 1
            continue
        value, at = decoder.raw_decode(text, start)
        found.append(value)
    return found


def run_python(block: Block, namespace: dict) -> dict:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(block.source(), block.where, "exec"), namespace)  # noqa: S102 - the docs' own code
    namespace.update(out=printed.getvalue(), approx=approx)
    return namespace


RUNNABLE = {page.name: [b for b in blocks(page) if RUN.get(b.language) and not b.skip] for page in PAGES}


@pytest.mark.parametrize("page", [p for p in PAGES if RUNNABLE[p.name]], ids=lambda p: p.name)
def test_page_runs_as_documented(page, tmp_path, monkeypatch, irsim_on_path):
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": "__docs__"}
    for block in RUNNABLE[page.name]:
        if RUN[block.language] == "bash":
            seen = run_bash(block, tmp_path, irsim_on_path)
        else:
            seen = run_python(block, namespace)
        for expect in block.expects:
            assert eval(expect, seen), f"{block.where}: expected {expect}"  # noqa: S307


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_fence_names_a_known_language(page):
    """An unlabelled block would silently escape this test; every marker must be well formed (parsed above)."""
    for block in blocks(page):
        assert block.language in RUN or block.language in NOT_RUN, (
            f"{block.where}: fence language {block.language!r}; use bash/python to run it or text not to")
        assert not (block.skip and block.language in NOT_RUN), f"{block.where}: 'skip' on a block that never runs"


def test_markers_change_how_a_block_runs(tmp_path):
    """The conventions themselves: replace, expect (true and false), skip with a reason, misplaced markers."""
    page = tmp_path / "page.md"
    page.write_text("<!-- test: replace `1000` with `3` -->\n<!-- test: expect total == 6 -->\n"
                    "```python\ntotal = sum(range(1000)) * 0 + sum(range(4))\n```\n\n"
                    "<!-- test: expect total == 7 -->\n```python\nprint(total)\n```\n\n"
                    "<!-- test: skip (a reason) -->\n```bash\nexit 1\n```\n")
    first, second, third = blocks(page)
    namespace = run_python(first, {})
    assert eval(first.expects[0], namespace) and namespace["total"] == 6
    namespace = run_python(second, namespace)
    assert namespace["out"] == "6\n" and not eval(second.expects[0], namespace)
    assert third.skip == "(a reason)"
    page.write_text("<!-- test: expect True -->\nsome prose\n```python\npass\n```\n")
    with pytest.raises(AssertionError, match="right before a fence"):
        blocks(page)
    page.write_text("<!-- test: replace `absent` with `x` -->\n```python\npass\n```\n")
    with pytest.raises(AssertionError, match="not in the block"):
        blocks(page)[0].source()


def test_json_objects_reads_one_line_and_indented_objects():
    assert json_objects('{"a": 1}\ntext {not json}\n{\n  "b": [2]\n}\n') == [{"a": 1}, {"b": [2]}]
