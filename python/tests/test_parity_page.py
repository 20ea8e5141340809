"""parity.html as html.parser reads it: the template renders, the data is embedded whole and safely, and every
element the page's script looks up is in the markup."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from checkpoint_spec.parity.reports import with_interop
from checkpoint_spec.parity.reports.html import inline, page_data, render_html

from .page_support import HOSTILE, Page, diverging_document, interop_sample, script_ids


def test_the_page_parses_and_embeds_the_data_and_every_id_the_script_looks_up(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    document = diverging_document(make_spec, capsys, tmp_path / "out")
    page = Page((tmp_path / "out" / "parity.html").read_text(encoding="utf-8"))
    assert page.title == "checkpoint-spec parity: " + document["summary_line"]
    assert len(page.styles) == 1 and "--bad-bg" in page.styles[0]
    assert [attrs.get("type") for attrs, _ in page.scripts] == ["application/json", None]
    assert "function lineDiff(" in page.scripts[1][1]
    data = page.data()
    assert data == page_data(document)  # nothing lost or changed on the way through the template
    assert [case["id"] for case in data["cases"]] == ["first", "second", "third", "fourth"]
    # Each case's level, for its tag and the level filter; the counts per level, for the header.
    assert [case["level"] for case in data["cases"]] == ["contract", "reference", "contract", "contract"]
    assert data["levels"] == document["levels"] and data["levels"]["reference"]["divergences"] == 1
    assert list(data["details"]) == ["second"] and data["interop"] is None
    # Each target's observations are indexes into one table of distinct values.
    observations = data["details"]["second"]["observations"]
    assert observations["py-memory"] == observations["py-memory-async"] != observations["fake"]
    assert data["values"][observations["fake"][0]] == {"result": {"altered": True}}
    looked_up = script_ids()
    assert {"parity-data", "matrix", "details", "filter-text", "filter-level", "interop"} <= looked_up
    # Without an interop section the page has every id but the section's; the script looks that up only with it.
    assert looked_up - set(page.ids) == {"interop"}
    assert all(count == 1 for count in page.ids.values())


def test_the_interop_section_is_part_of_the_page(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    document = with_interop(diverging_document(make_spec, capsys, tmp_path / "out"), interop_sample("Because."))
    page = Page(render_html(document))
    assert script_ids() <= set(page.ids) and page.ids["interop"] == 1
    interop = page.data()["interop"]
    (finding,) = interop["findings"]
    assert finding["anchor"] == "interop-sqlite-python-to-typescript-get_tuple-changed"
    assert interop["directions"] == ["python->typescript", "typescript->python"]
    assert interop["table"][0]["counts"] == {"equal": 3, "changed": 1, "unreadable": 0, "writer-error": 0}
    # The page diffs the two reads itself, with the same function as the observations.
    (read,) = finding["reads"]
    values = page.data()["values"]
    assert values[read["written"]]["checkpoint"]["v"] == 4 and values[read["read"]]["checkpoint"]["v"] == 1


def test_untrusted_strings_are_escaped(
    make_spec: Callable[..., Path], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    document = with_interop(diverging_document(make_spec, capsys, tmp_path / "out"), interop_sample(HOSTILE))
    text = render_html(document)
    page = Page(text)
    # The data holds the strings as they are, and nothing of them reached the markup.
    data = page.data()
    assert data["cases"][1]["title"] == "second " + HOSTILE
    assert data["interop"]["findings"][0]["reason"] == HOSTILE
    assert page.tags["b"] == 0 and len(page.scripts) == 2
    assert "<b>" not in text and text.count("</script>") == 2 and "<!-- &" not in text


def test_a_page_file_that_would_end_its_element_is_refused() -> None:
    assert str(inline("a { color: red; }", "parity.css")) == "a { color: red; }"
    for text in ('let a = "</script>";', "/* </STYLE> */", "<!-- x"):
        with pytest.raises(ValueError, match=r"page/parity\.js holds .* which would end its inline element"):
            inline(text, "parity.js")
