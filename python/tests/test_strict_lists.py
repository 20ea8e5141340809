"""The update and the stale check every strict list shares (strict_lists.py); the reasons are pinned by reasons.json."""

from __future__ import annotations

from checkpoint_spec.strict_lists import count_needing_reasons, stale_keys, updated_entries


def test_the_update_keeps_what_the_run_could_not_see_and_rewrites_the_rest() -> None:
    listed = {"unseen": "kept", "stale": "dropped", "again": "old reason"}
    found = updated_entries(
        listed,
        ["new", "again"],
        lambda key: key != "unseen",
        lambda key, old: f"TODO {key}" if old is None else old + " (checked)",
    )
    assert found == {"again": "old reason (checked)", "new": "TODO new", "unseen": "kept"}
    assert list(found) == ["again", "new", "unseen"]


def test_keys_are_in_code_point_order() -> None:
    found = updated_entries({}, ["\uff41", "\U0001f600", "b", "B"], lambda key: True, lambda key, old: key)
    assert list(found) == ["B", "b", "\uff41", "\U0001f600"]


def test_stale_entries_are_those_the_run_could_see_but_did_not_observe() -> None:
    listed = ["z-seen", "y-stale", "a-stale", "unseen"]
    assert stale_keys(listed, {"z-seen"}, lambda key: key != "unseen") == ["a-stale", "y-stale"]


def test_counting_the_entries_that_need_a_reason() -> None:
    assert count_needing_reasons(["A reason.", "TODO: why", "", "todo"]) == 3
