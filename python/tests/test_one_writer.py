"""Every file the package writes goes through files.py (whole or not at all); no module writes one another way."""

from __future__ import annotations

import re
from pathlib import Path

import checkpoint_spec

SOURCES = Path(checkpoint_spec.__file__).resolve().parent
WRITER = SOURCES / "files.py"
# Ways to write or replace a file: pathlib's writers, open() for writing, low-level and copying ones.
OTHER_WRITERS = re.compile(
    r"\.write_(text|bytes)\("
    r"|\bopen\([^)]*['\"][^'\"]*[wax+]"
    r"|\bos\.(replace|rename|fdopen|open|write)\("
    r"|\bshutil\.(copy\w*|move)\("
    r"|\bjson\.dump\("
    r"|\bmkstemp\("
    r"|\bNamedTemporaryFile\("
)


def other_writers(root: Path = SOURCES) -> list[str]:
    return [
        f"{path.relative_to(root)}:{number}: {line.strip()}"
        for path in sorted(root.rglob("*.py"))
        if path != WRITER
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if OTHER_WRITERS.search(line)
    ]


def test_only_files_py_writes_files() -> None:
    assert other_writers() == []


def test_the_check_finds_each_way_of_writing(tmp_path: Path) -> None:
    lines = [
        'path.write_text("x")',
        "path.write_bytes(b'x')",
        'with open(path, "w") as handle:',
        "open(path, mode='ab')",
        "os.replace(a, b)",
        "shutil.copyfile(a, b)",
        "json.dump(document, handle)",
        "tempfile.mkstemp()",
    ]
    (tmp_path / "writer.py").write_text("\n".join(lines) + '\nopen(path, "r")\nsys.stdout.write(text)\n', "utf-8")
    assert [found.split(": ", 1)[1] for found in other_writers(tmp_path)] == lines
