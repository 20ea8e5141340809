"""Deliberately broken savers: LangGraph's InMemorySaver with exactly one realistic bug each.

Each module-level function is a factory for `checkpoint-spec run --target
tests.broken_savers:NAME`. The savers are subclasses built here, never patches
to the installed package. InMemorySaver's async methods call its sync ones
(alist calls list, aput calls put, ...), so a bug put into a sync method is
seen through both APIs.

`clean` is the control: the same wrapper with no bug, which must satisfy the
spec exactly as py-memory does.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, cast

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import (
    WRITES_IDX_MAP,
    ChannelVersions,
    Checkpoint,
    CheckpointMetadata,
    CheckpointTuple,
    writes_sort_key,
)
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.serde.types import TASKS

StoredWrite = tuple[str, str, tuple[str, bytes], str]


def _take(items: Iterable[CheckpointTuple], limit: int | None) -> Iterator[CheckpointTuple]:
    """The first `limit` items, as InMemorySaver counts them (none when limit <= 0)."""
    if limit is None:
        yield from items
        return
    for item in items:
        if limit <= 0:
            return
        limit -= 1
        yield item


def _namespace(item: CheckpointTuple) -> tuple[str, str]:
    configurable = item.config["configurable"]
    return configurable["thread_id"], configurable["checkpoint_ns"]


class WrappedSaver(InMemorySaver):
    """InMemorySaver with every tuple it returns passed through `_shape`; unchanged, it is the control.

    The broken savers override `_shape` or one of InMemorySaver's methods.
    """

    def _shape(self, item: CheckpointTuple) -> CheckpointTuple:
        return item

    def get_tuple(self, config: RunnableConfig) -> CheckpointTuple | None:
        found = super().get_tuple(config)
        return None if found is None else self._shape(found)

    def list(
        self,
        config: RunnableConfig | None,
        *,
        filter: dict[str, Any] | None = None,
        before: RunnableConfig | None = None,
        limit: int | None = None,
    ) -> Iterator[CheckpointTuple]:
        for item in super().list(config, filter=filter, before=before, limit=limit):
            yield self._shape(item)


# -- list order ------------------------------------------------------------


class OldestFirst(WrappedSaver):
    """list sorts checkpoint ids ascending: the oldest comes first."""

    def list(
        self,
        config: RunnableConfig | None,
        *,
        filter: dict[str, Any] | None = None,
        before: RunnableConfig | None = None,
        limit: int | None = None,
    ) -> Iterator[CheckpointTuple]:
        found = [*super().list(config, filter=filter, before=before)]
        yield from _take(reversed(found), limit)


class InsertionOrder(WrappedSaver):
    """list yields the most recently put checkpoint first, not the greatest id."""

    def list(
        self,
        config: RunnableConfig | None,
        *,
        filter: dict[str, Any] | None = None,
        before: RunnableConfig | None = None,
        limit: int | None = None,
    ) -> Iterator[CheckpointTuple]:
        found = [*super().list(config, filter=filter, before=before)]
        groups = {key: n for n, key in enumerate(dict.fromkeys(_namespace(item) for item in found))}

        def newest_put_first(item: CheckpointTuple) -> tuple[int, int]:
            # storage[thread][ns] is a dict, so its keys are in the order the checkpoints were first put.
            thread_id, checkpoint_ns = _namespace(item)
            put_order = [*self.storage[thread_id][checkpoint_ns]]
            return groups[thread_id, checkpoint_ns], -put_order.index(item.config["configurable"]["checkpoint_id"])

        found.sort(key=newest_put_first)
        yield from _take(found, limit)


# -- list filters ----------------------------------------------------------


class FilterFirstKeyOnly(WrappedSaver):
    """list's filter checks only its first key."""

    def list(
        self,
        config: RunnableConfig | None,
        *,
        filter: dict[str, Any] | None = None,
        before: RunnableConfig | None = None,
        limit: int | None = None,
    ) -> Iterator[CheckpointTuple]:
        first = dict([*filter.items()][:1]) if filter else filter
        yield from super().list(config, filter=first, before=before, limit=limit)


class FilterNullNeedsKey(WrappedSaver):
    """A filter value of None matches only metadata that has the key (InMemorySaver reads an absent key as None)."""

    def list(
        self,
        config: RunnableConfig | None,
        *,
        filter: dict[str, Any] | None = None,
        before: RunnableConfig | None = None,
        limit: int | None = None,
    ) -> Iterator[CheckpointTuple]:
        found = super().list(config, filter=filter, before=before)
        wanted = filter or {}
        yield from _take(
            (item for item in found if all(key in item.metadata for key in wanted)),
            limit,
        )


class FilterComparesText(WrappedSaver):
    """list's filter compares values as text, so 0 matches "0"."""

    def list(
        self,
        config: RunnableConfig | None,
        *,
        filter: dict[str, Any] | None = None,
        before: RunnableConfig | None = None,
        limit: int | None = None,
    ) -> Iterator[CheckpointTuple]:
        found = super().list(config, before=before)
        wanted = filter or {}
        yield from _take(
            (
                item
                for item in found
                if all(str(value) == str(dict(item.metadata).get(key)) for key, value in wanted.items())
            ),
            limit,
        )


# -- before ----------------------------------------------------------------


class BeforeInclusive(WrappedSaver):
    """list's before keeps the checkpoint it names (compared with <= instead of <)."""

    def list(
        self,
        config: RunnableConfig | None,
        *,
        filter: dict[str, Any] | None = None,
        before: RunnableConfig | None = None,
        limit: int | None = None,
    ) -> Iterator[CheckpointTuple]:
        bound = before["configurable"].get("checkpoint_id") if before else None
        found = super().list(config, filter=filter)
        yield from _take(
            (item for item in found if not bound or item.config["configurable"]["checkpoint_id"] <= bound),
            limit,
        )


# -- limit -----------------------------------------------------------------


class LimitOffByOne(WrappedSaver):
    """list yields one tuple more than limit."""

    def list(
        self,
        config: RunnableConfig | None,
        *,
        filter: dict[str, Any] | None = None,
        before: RunnableConfig | None = None,
        limit: int | None = None,
    ) -> Iterator[CheckpointTuple]:
        more = None if limit is None else limit + 1
        yield from super().list(config, filter=filter, before=before, limit=more)


class LimitZeroUnlimited(WrappedSaver):
    """limit=0 (falsy) is taken as no limit."""

    def list(
        self,
        config: RunnableConfig | None,
        *,
        filter: dict[str, Any] | None = None,
        before: RunnableConfig | None = None,
        limit: int | None = None,
    ) -> Iterator[CheckpointTuple]:
        yield from super().list(config, filter=filter, before=before, limit=limit or None)


class LimitPerNamespace(WrappedSaver):
    """limit bounds each namespace of a thread, not the total."""

    def list(
        self,
        config: RunnableConfig | None,
        *,
        filter: dict[str, Any] | None = None,
        before: RunnableConfig | None = None,
        limit: int | None = None,
    ) -> Iterator[CheckpointTuple]:
        found = [*super().list(config, filter=filter, before=before)]
        for key in dict.fromkeys(_namespace(item) for item in found):
            yield from _take((item for item in found if _namespace(item) == key), limit)


# -- checkpoint namespaces -------------------------------------------------


class RootNamespaceListsAll(WrappedSaver):
    """list treats checkpoint_ns "" as falsy, "not given", and yields every namespace."""

    def list(
        self,
        config: RunnableConfig | None,
        *,
        filter: dict[str, Any] | None = None,
        before: RunnableConfig | None = None,
        limit: int | None = None,
    ) -> Iterator[CheckpointTuple]:
        if config and not config["configurable"].get("checkpoint_ns"):
            configurable = {k: v for k, v in config["configurable"].items() if k != "checkpoint_ns"}
            config = {**config, "configurable": configurable}
        yield from super().list(config, filter=filter, before=before, limit=limit)


def _outer_namespace(config: RunnableConfig) -> RunnableConfig:
    configurable = dict(config["configurable"])
    if isinstance(configurable.get("checkpoint_ns"), str):
        configurable["checkpoint_ns"] = configurable["checkpoint_ns"].split("|")[0]
    return {**config, "configurable": configurable}


class NestedNamespaceCollides(WrappedSaver):
    """A nested namespace "a|b" is stored under its first segment "a", so it collides with "a"."""

    def put(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> RunnableConfig:
        return super().put(_outer_namespace(config), checkpoint, metadata, new_versions)

    def put_writes(
        self, config: RunnableConfig, writes: Sequence[tuple[str, Any]], task_id: str, task_path: str = ""
    ) -> None:
        super().put_writes(_outer_namespace(config), writes, task_id, task_path)

    def get_tuple(self, config: RunnableConfig) -> CheckpointTuple | None:
        return super().get_tuple(_outer_namespace(config))

    def list(
        self,
        config: RunnableConfig | None,
        *,
        filter: dict[str, Any] | None = None,
        before: RunnableConfig | None = None,
        limit: int | None = None,
    ) -> Iterator[CheckpointTuple]:
        outer = _outer_namespace(config) if config else config
        yield from super().list(outer, filter=filter, before=before, limit=limit)


class WritesIgnoreNamespace(WrappedSaver):
    """Pending writes are keyed by thread and checkpoint id only, so namespaces share them."""

    def put_writes(
        self, config: RunnableConfig, writes: Sequence[tuple[str, Any]], task_id: str, task_path: str = ""
    ) -> None:
        root = cast(RunnableConfig, {**config, "configurable": {**config["configurable"], "checkpoint_ns": ""}})
        super().put_writes(root, writes, task_id, task_path)

    def _ordered_writes(self, thread_id: str, checkpoint_ns: str, checkpoint_id: str) -> list[StoredWrite]:
        return super()._ordered_writes(thread_id, "", checkpoint_id)


# -- parent configs --------------------------------------------------------


class ParentDropsNamespace(WrappedSaver):
    """parent_config carries thread_id and checkpoint_id but not checkpoint_ns."""

    def _shape(self, item: CheckpointTuple) -> CheckpointTuple:
        if item.parent_config is None:
            return item
        configurable = {k: v for k, v in item.parent_config["configurable"].items() if k != "checkpoint_ns"}
        return item._replace(parent_config={"configurable": configurable})


class ParentIsLatest(WrappedSaver):
    """put without a checkpoint_id in its config takes the namespace's latest checkpoint as the parent."""

    def put(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> RunnableConfig:
        configurable = config["configurable"]
        stored = self.storage[configurable["thread_id"]][configurable["checkpoint_ns"]]
        if not configurable.get("checkpoint_id") and stored:
            config = {**config, "configurable": {**configurable, "checkpoint_id": max(stored)}}
        return super().put(config, checkpoint, metadata, new_versions)


class ParentKeptOnOverwrite(WrappedSaver):
    """put of an id already stored replaces the checkpoint but keeps the first parent."""

    def put(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> RunnableConfig:
        configurable = config["configurable"]
        stored = self.storage[configurable["thread_id"]][configurable["checkpoint_ns"]]
        earlier = stored.get(checkpoint["id"])
        saved = super().put(config, checkpoint, metadata, new_versions)
        if earlier is not None:
            now = stored[checkpoint["id"]]
            stored[checkpoint["id"]] = (now[0], now[1], earlier[2])
        return saved


# -- pending-write order ---------------------------------------------------


class WritesReversed(WrappedSaver):
    """Pending writes come back in the reverse of their order."""

    def _ordered_writes(self, thread_id: str, checkpoint_ns: str, checkpoint_id: str) -> list[StoredWrite]:
        return super()._ordered_writes(thread_id, checkpoint_ns, checkpoint_id)[::-1]


def _stored_writes(saver: InMemorySaver, thread_id: str, checkpoint_ns: str, checkpoint_id: str) -> dict[Any, Any]:
    return saver.writes.get((thread_id, checkpoint_ns, checkpoint_id), {})


class WritesIgnoreTaskPath(WrappedSaver):
    """Pending writes are sorted by (task_id, index), forgetting task_path."""

    def _ordered_writes(self, thread_id: str, checkpoint_ns: str, checkpoint_id: str) -> list[StoredWrite]:
        stored = _stored_writes(self, thread_id, checkpoint_ns, checkpoint_id)
        return [stored[key] for key in sorted(stored)]


class WritesIndexAsText(WrappedSaver):
    """Pending writes are sorted with the write index as text, so index 10 comes before 2."""

    def _ordered_writes(self, thread_id: str, checkpoint_ns: str, checkpoint_id: str) -> list[StoredWrite]:
        stored = _stored_writes(self, thread_id, checkpoint_ns, checkpoint_id)
        return [stored[k] for k in sorted(stored, key=lambda k: (*writes_sort_key(stored[k][3], k[0]), str(k[1])))]


# -- pending-write overwrite rules -----------------------------------------


def _put_writes(
    saver: InMemorySaver,
    config: RunnableConfig,
    writes: Sequence[tuple[str, Any]],
    task_id: str,
    task_path: str,
    *,
    special_index: bool = True,
    special_replaced: bool = True,
    regular_replaced: bool = False,
) -> None:
    """InMemorySaver.put_writes, with its three rules as switches (the defaults are InMemorySaver's)."""
    configurable = config["configurable"]
    outer = (configurable["thread_id"], configurable.get("checkpoint_ns", ""), configurable["checkpoint_id"])
    for idx, (channel, value) in enumerate(writes):
        inner = (task_id, WRITES_IDX_MAP.get(channel, idx) if special_index else idx)
        replaced = special_replaced if inner[1] < 0 else regular_replaced
        if not replaced and inner in saver.writes.get(outer, {}):
            continue
        saver.writes[outer][inner] = (task_id, channel, saver.serde.dumps_typed(value), task_path)


class WritesLastWins(WrappedSaver):
    """A second put_writes for the same (task, index) replaces the first write (it must keep it)."""

    def put_writes(
        self, config: RunnableConfig, writes: Sequence[tuple[str, Any]], task_id: str, task_path: str = ""
    ) -> None:
        _put_writes(self, config, writes, task_id, task_path, regular_replaced=True)


class SpecialWritesFirstWins(WrappedSaver):
    """__error__, __interrupt__ and the other special writes keep the first, like regular ones.

    They must be replaced: a task's latest error or interrupt is the one that counts.
    """

    def put_writes(
        self, config: RunnableConfig, writes: Sequence[tuple[str, Any]], task_id: str, task_path: str = ""
    ) -> None:
        _put_writes(self, config, writes, task_id, task_path, special_replaced=False)


class SpecialWritesByPosition(WrappedSaver):
    """Special channels are keyed by their list position, ignoring WRITES_IDX_MAP."""

    def put_writes(
        self, config: RunnableConfig, writes: Sequence[tuple[str, Any]], task_id: str, task_path: str = ""
    ) -> None:
        _put_writes(self, config, writes, task_id, task_path, special_index=False)


# -- delete_thread scope ---------------------------------------------------


class DeleteAllThreads(WrappedSaver):
    """delete_thread clears every thread."""

    def delete_thread(self, thread_id: str) -> None:
        for other in [*self.storage]:
            super().delete_thread(other)
        for key in [*self.writes]:
            super().delete_thread(key[0])


class DeleteByPrefix(WrappedSaver):
    """delete_thread also deletes threads whose id starts with the given one ("t1" takes "t10")."""

    def delete_thread(self, thread_id: str) -> None:
        for other in {*self.storage, *(key[0] for key in self.writes)}:
            if other.startswith(thread_id):
                super().delete_thread(other)


class DeleteKeepsWrites(WrappedSaver):
    """delete_thread removes checkpoints and values but leaves the pending writes behind."""

    def delete_thread(self, thread_id: str) -> None:
        kept = {key: value for key, value in self.writes.items() if key[0] == thread_id}
        super().delete_thread(thread_id)
        self.writes.update(kept)


class DeleteRootNamespaceOnly(WrappedSaver):
    """delete_thread removes only the root namespace of the thread."""

    def delete_thread(self, thread_id: str) -> None:
        namespaces = self.storage.get(thread_id, {})
        namespaces.pop("", None)
        for key in [key for key in self.writes if key[0] == thread_id and key[1] == ""]:
            del self.writes[key]
        for blob in [blob for blob in self.blobs if blob[0] == thread_id and blob[1] == ""]:
            del self.blobs[blob]


# -- metadata --------------------------------------------------------------


class MetadataGainsThreadId(WrappedSaver):
    """put adds the thread_id to the stored metadata (it is one of the excluded keys)."""

    def put(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> RunnableConfig:
        gained: Any = {**metadata, "thread_id": config["configurable"]["thread_id"]}
        return super().put(config, checkpoint, gained, new_versions)


class MetadataConfigWins(WrappedSaver):
    """config["metadata"] overrides the metadata argument (the argument must win)."""

    def put(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> RunnableConfig:
        extra = config.get("metadata") or {}
        merged: Any = {**metadata, **{k: v for k, v in extra.items() if k in metadata}}
        return super().put(config, checkpoint, merged, new_versions)


# -- get_next_version ------------------------------------------------------


class VersionUnpadded(WrappedSaver):
    """get_next_version does not zero-pad the counter, so as text "10.x" sorts before "9.x"."""

    def get_next_version(self, current: str | None, channel: None) -> str:
        padded = super().get_next_version(current, channel)
        counter, _, fraction = padded.partition(".")
        return f"{int(counter)}.{fraction}"


class VersionIntegerKept(WrappedSaver):
    """get_next_version of an integer returns an integer, as the base class does, not a padded string."""

    def get_next_version(self, current: str | None, channel: None) -> str:
        given: object = current  # typed str | None, but integers are passed too
        if isinstance(given, int):
            return cast(str, given + 1)
        return super().get_next_version(current, channel)


# -- old checkpoint formats ------------------------------------------------


class MigratesPendingSends(WrappedSaver):
    """A v < 4 checkpoint gets its parent's __pregel_tasks writes as a channel, as the SQL savers migrate it.

    InMemorySaver returns an old checkpoint as stored.
    """

    def _shape(self, item: CheckpointTuple) -> CheckpointTuple:
        checkpoint = item.checkpoint
        if checkpoint.get("v", 4) >= 4 or item.parent_config is None:
            return item
        thread_id, checkpoint_ns = _namespace(item)
        parent_id = item.parent_config["configurable"]["checkpoint_id"]
        sends = [
            self.serde.loads_typed(value)
            for _, channel, value, _ in self._ordered_writes(thread_id, checkpoint_ns, parent_id)
            if channel == TASKS
        ]
        if not sends:
            return item
        versions = dict(checkpoint["channel_versions"])
        versions[TASKS] = max(versions.values()) if versions else self.get_next_version(None, None)
        migrated: Any = {
            **checkpoint,
            "channel_values": {**checkpoint["channel_values"], TASKS: sends},
            "channel_versions": versions,
        }
        return item._replace(checkpoint=migrated)


class UpgradesFormatVersion(WrappedSaver):
    """put stores an old checkpoint with v set to the current format 4, without migrating it."""

    def put(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> RunnableConfig:
        upgraded: Any = {**checkpoint, "v": max(checkpoint.get("v", 4), 4)}
        return super().put(config, upgraded, metadata, new_versions)


# -- factories -------------------------------------------------------------


def clean() -> InMemorySaver:
    return WrappedSaver()


def oldest_first() -> InMemorySaver:
    return OldestFirst()


def insertion_order() -> InMemorySaver:
    return InsertionOrder()


def filter_first_key_only() -> InMemorySaver:
    return FilterFirstKeyOnly()


def filter_null_needs_key() -> InMemorySaver:
    return FilterNullNeedsKey()


def filter_compares_text() -> InMemorySaver:
    return FilterComparesText()


def before_inclusive() -> InMemorySaver:
    return BeforeInclusive()


def limit_off_by_one() -> InMemorySaver:
    return LimitOffByOne()


def limit_zero_unlimited() -> InMemorySaver:
    return LimitZeroUnlimited()


def limit_per_namespace() -> InMemorySaver:
    return LimitPerNamespace()


def root_namespace_lists_all() -> InMemorySaver:
    return RootNamespaceListsAll()


def nested_namespace_collides() -> InMemorySaver:
    return NestedNamespaceCollides()


def writes_ignore_namespace() -> InMemorySaver:
    return WritesIgnoreNamespace()


def parent_drops_namespace() -> InMemorySaver:
    return ParentDropsNamespace()


def parent_is_latest() -> InMemorySaver:
    return ParentIsLatest()


def parent_kept_on_overwrite() -> InMemorySaver:
    return ParentKeptOnOverwrite()


def writes_reversed() -> InMemorySaver:
    return WritesReversed()


def writes_ignore_task_path() -> InMemorySaver:
    return WritesIgnoreTaskPath()


def writes_index_as_text() -> InMemorySaver:
    return WritesIndexAsText()


def writes_last_wins() -> InMemorySaver:
    return WritesLastWins()


def special_writes_first_wins() -> InMemorySaver:
    return SpecialWritesFirstWins()


def special_writes_by_position() -> InMemorySaver:
    return SpecialWritesByPosition()


def delete_all_threads() -> InMemorySaver:
    return DeleteAllThreads()


def delete_by_prefix() -> InMemorySaver:
    return DeleteByPrefix()


def delete_keeps_writes() -> InMemorySaver:
    return DeleteKeepsWrites()


def delete_root_namespace_only() -> InMemorySaver:
    return DeleteRootNamespaceOnly()


def metadata_gains_thread_id() -> InMemorySaver:
    return MetadataGainsThreadId()


def metadata_config_wins() -> InMemorySaver:
    return MetadataConfigWins()


def version_unpadded() -> InMemorySaver:
    return VersionUnpadded()


def version_integer_kept() -> InMemorySaver:
    return VersionIntegerKept()


def migrates_pending_sends() -> InMemorySaver:
    return MigratesPendingSends()


def upgrades_format_version() -> InMemorySaver:
    return UpgradesFormatVersion()


BROKEN = (
    "oldest_first",
    "insertion_order",
    "filter_first_key_only",
    "filter_null_needs_key",
    "filter_compares_text",
    "before_inclusive",
    "limit_off_by_one",
    "limit_zero_unlimited",
    "limit_per_namespace",
    "root_namespace_lists_all",
    "nested_namespace_collides",
    "writes_ignore_namespace",
    "parent_drops_namespace",
    "parent_is_latest",
    "parent_kept_on_overwrite",
    "writes_reversed",
    "writes_ignore_task_path",
    "writes_index_as_text",
    "writes_last_wins",
    "special_writes_first_wins",
    "special_writes_by_position",
    "delete_all_threads",
    "delete_by_prefix",
    "delete_keeps_writes",
    "delete_root_namespace_only",
    "metadata_gains_thread_id",
    "metadata_config_wins",
    "version_unpadded",
    "version_integer_kept",
    "migrates_pending_sends",
    "upgrades_format_version",
)
