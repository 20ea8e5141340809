"""parity.html in headless Chromium: after the page's script ran, the matrix, a divergence and the interop section
are shown, and untrusted strings are text, not markup."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from checkpoint_spec.parity.reports import with_interop
from checkpoint_spec.parity.reports.html import render_html

from .page_support import HOSTILE, diverging_document, interop_sample
from .parity_support import ALTERED_RULES, cause, fake, parity, small_spec, write_registry

CHROMIUM = next((found for name in ("chromium", "chromium-browser") if (found := shutil.which(name))), None)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


NO_CHROMIUM = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed (the parity nox session installs the Debian package chromium when it can)",
)


def rendered_dom(page: Path, profile: Path) -> str:
    """The page's DOM after its script ran, as headless Chromium dumps it."""
    assert CHROMIUM is not None
    done = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert 'data-rendered="true"' in done.stdout, done.stderr[-2000:]
    return done.stdout


@NO_CHROMIUM
def test_page_draws_the_matrix_and_a_divergence(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    spec = small_spec(make_spec)
    reason = "The fake driver answers put with a made-up config on this case."
    write_registry(spec, {"made-up-config": cause(reason, ["python", "python"], ["memory"], *ALTERED_RULES)})
    out = tmp_path / "out"
    argv = ["--targets", "py-memory,py-memory-async,fake", "--driver", "fake@memory=" + fake("alter.py", "second")]
    code, lines, _, _ = parity(capsys, spec, out, *argv)
    assert code == 0, lines
    page = out / "parity.html"
    # The page is drawn by its script from embedded data: nothing of it is in the file as markup.
    assert 'id="case-second"' not in page.read_text()
    dom = rendered_dom(page, tmp_path / "profile")
    assert dom.count('data-case="') == 4  # one matrix row per case
    assert dom.count('<th title="family memory">py-memory</th>') == 1 and '<th title="family memory">fake</th>' in dom
    assert 'href="#case-second"' in dom  # the matrix links the divergence
    assert 'id="case-second"' in dom and reason in dom
    assert "py-memory ≠ fake" in dom
    assert 'class="line changed"' in dom  # the observations are diffed
    assert "fake-driver 1.0" in dom  # library versions in the header
    # Every case is a contract case here: each row and the card carry the tag, the header counts per level.
    assert dom.count('<span class="level contract">contract</span>') == 4 + 1
    assert '<span class="level reference">' not in dom
    assert "<b>1</b>contract diverging</span>" in dom and "<b>0</b>reference diverging</span>" in dom
    assert dom.count('data-level="contract"') == 4 + 1


@NO_CHROMIUM
def test_page_draws_the_interop_section(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from .test_parity_interop import MSGPACK, UNREADABLE, findings, need_js, spec_beside_js

    need_js()
    spec = spec_beside_js(make_spec)
    findings(spec, {UNREADABLE: MSGPACK})
    out = tmp_path / "out"
    code, lines, _, _ = parity(capsys, spec, out, "--targets", "py-memory", "--interop", "sqlite")
    assert code == 0, lines
    page = out / "parity.html"
    assert 'id="interop-sqlite-python-to-typescript' not in page.read_text()  # drawn by the script
    dom = rendered_dom(page, tmp_path / "profile")
    assert 'data-interop-rendered="true"' in dom
    assert '<table class="counts" data-kind="sqlite">' in dom
    assert "python → typescript" in dom and "typescript → python" in dom
    # The unreadable count links to its finding, which gives the reason and each read's error.
    assert 'href="#interop-sqlite-python-to-typescript-get_tuple-unreadable"' in dom
    assert 'id="interop-sqlite-python-to-typescript-get_tuple-unreadable"' in dom
    assert MSGPACK in dom and "Unknown serialization type" in dom
    assert dom.count('<li data-case="') == 4  # one per read: the four cases' get_tuple
    assert "<b>4</b>interop reads differ" in dom  # the header chip


@NO_CHROMIUM
def test_page_shows_untrusted_strings_as_text_and_diffs_the_interop_reads(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    document = with_interop(diverging_document(make_spec, capsys, tmp_path / "out"), interop_sample(HOSTILE))
    page = tmp_path / "hostile.html"
    page.write_text(render_html(document), encoding="utf-8")
    dom = rendered_dom(page, tmp_path / "profile")
    assert 'data-interop-rendered="true"' in dom and dom.count("<tr data-op=") == 4
    # The diverging case is a reference case: tagged in its row and on its card, counted in the header.
    assert dom.count('<span class="level reference">reference</span>') == 2
    assert dom.count('<span class="level contract">contract</span>') == 3
    assert (
        '<span class="chip bad" title="1 reference cases and scenarios, 1 failing"><b>1</b>reference diverging' in dom
    )
    # The title and the reason are text wherever the script put them; none of their markup was parsed.
    assert "<b>bold</b>" not in dom and dom.count("&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;") >= 3
    # The interop read is diffed in the page: the writer's "v": 4 removed, the reader's "v": 1 added.
    assert '<span class="del">-    "v": 4' in dom and '<span class="add">+    "v": 1' in dom
    assert '<span class="same">     "id": "a",' in dom
    assert 'class="line changed"' in dom
