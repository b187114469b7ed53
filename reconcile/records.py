"""`LazyRecords`: an immutable sequence of records built on first access, a block at a time.

A million-row export is read column by column (every cell is validated while reading), but building a million
`Payment` objects costs more than reading the file. Extractors with a columnar path return their records as a
`LazyRecords`: it has the length at once, builds each block of records the first time any of them is asked for,
and keeps it, so each record is built once and the same object comes back on every access (the engine and the
reports key records by identity). It compares equal to a tuple of the same records, and pickles as one.
"""

from __future__ import annotations

import dataclasses
import gc
import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from datetime import date
from typing import Any, Protocol, TypeVar, overload

T = TypeVar("T")

BLOCK = 2048


class RecordIndex(Protocol):
    """What a columnar reader knows about its rows without building them: which rows a reconciliation can
    use, and the days the rows span."""

    def select(self, kinds: Collection[Any], words: Sequence[str]) -> list[int] | None:
        """The rows (ascending) whose kind is one of ``kinds`` or whose text holds one of ``words`` (a superset
        is allowed, never a subset); None when it cannot tell, and every row must be looked at."""

    def span(self) -> tuple[date, date] | None:
        """The first and last day of the rows (None without rows)."""


class LazyRecords(Sequence[T]):
    """``build(start, stop)`` must return the records ``start`` to ``stop - 1``; it is called at most once for
    each block and dropped once every block is built (which frees whatever columns it holds).

    ``pick(rows)``, when given, builds the records of a few scattered rows (ascending) without their blocks; a
    record built that way is the one indexing returns later, also once its block is built. ``lookup`` lets a
    reconciliation choose the rows it needs (`RecordIndex`)."""

    __slots__ = ("_blocks", "_build", "_built", "_length", "_lock", "_pick", "_picked", "lookup")

    def __init__(
        self,
        length: int,
        build: Callable[[int, int], list[T]],
        *,
        pick: Callable[[list[int]], list[T]] | None = None,
        lookup: RecordIndex | None = None,
    ) -> None:
        self._length = length
        self._build: Callable[[int, int], list[T]] | None = build
        self._blocks: list[list[T] | None] = [None] * -(-length // BLOCK)
        self._built = 0
        self._lock = threading.Lock()  # two threads asking for the same block get the same records
        self._pick = pick
        self._picked: dict[int, T] = {}
        self.lookup = lookup

    def __len__(self) -> int:
        return self._length

    def _block(self, b: int) -> list[T]:
        block = self._blocks[b]
        if block is not None:
            return block
        with self._lock:
            return self._build_block(b)

    def _build_block(self, b: int) -> list[T]:
        block = self._blocks[b]
        if block is None:
            block = self._build_once(b)
            if self._picked:  # records already handed out keep their identity
                start = b * BLOCK
                for i in range(start, start + len(block)):
                    if i in self._picked:
                        block[i - start] = self._picked.pop(i)
            self._blocks[b] = block
            self._built += 1
            if self._built == len(self._blocks):
                self._build = self._pick = None
        return block

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[T, ...]: ...

    def __getitem__(self, index: int | slice) -> T | tuple[T, ...]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(self._length)))
        i = index.__index__()
        if i < 0:
            i += self._length
        if not 0 <= i < self._length:
            raise IndexError("record index out of range")
        block = self._blocks[i // BLOCK]
        if block is None:
            picked = self._picked.get(i)
            if picked is not None:
                return picked
            block = self._block(i // BLOCK)
        return block[i % BLOCK]

    def pick(self, rows: Sequence[int]) -> list[T]:
        """The records at ``rows`` (ascending), building only those not built yet (see the class)."""
        with self._lock:
            need = [r for r in rows if self._blocks[r // BLOCK] is None and r not in self._picked]
            if need and self._pick is not None:
                built = self._pick(need)
                if len(built) != len(need):
                    raise RuntimeError(f"record picker returned {len(built)} records for {len(need)} rows")
                self._picked.update(zip(need, built, strict=True))
        return [self[r] for r in rows]

    def __iter__(self) -> Iterator[T]:
        for b in range(len(self._blocks)):
            yield from self._block(b)

    def stream(self) -> Iterator[T]:
        """The records in order for one pass that keeps none of them (writing a listing of a million records):
        blocks already built are reused, the others are built and let go, so they are not the objects later
        indexing returns (equal, not identical)."""
        for b in range(len(self._blocks)):
            block = self._blocks[b]
            if block is None:
                with self._lock:  # the builder is not meant to run in two threads at once
                    block = self._blocks[b]
                    if block is None:
                        block = self._build_once(b)
            yield from block

    def _build_once(self, b: int) -> list[T]:
        """Build block ``b`` without keeping it. Building thousands of records creates no reference cycles;
        pausing the cyclic collector meanwhile saves it from rescanning a growing heap (about a quarter of the
        time for a million records)."""
        build = self._build
        assert build is not None  # dropped only once every block is kept
        start = b * BLOCK
        stop = min(start + BLOCK, self._length)
        collecting = gc.isenabled()
        gc.disable()
        try:
            block = build(start, stop)
        finally:
            if collecting:
                gc.enable()
        if len(block) != stop - start:
            raise RuntimeError(f"record builder returned {len(block)} records for rows {start}-{stop - 1}")
        return block

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (tuple, list, LazyRecords)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # like a list: equal to tuples, so not hashable

    def __repr__(self) -> str:
        built = sum(len(b) for b in self._blocks if b is not None)
        return f"<LazyRecords: {self._length} records, {built} built>"

    def __reduce__(self) -> tuple[Any, ...]:
        return (tuple, (tuple(self),))


def stream(records: Sequence[T]) -> Iterator[T]:
    """Iterate ``records`` once without keeping what a `LazyRecords` builds for it (see `LazyRecords.stream`)."""
    return records.stream() if isinstance(records, LazyRecords) else iter(records)


def is_record_sequence(obj: object) -> bool:
    """A tuple, or a `LazyRecords` standing in for one."""
    return isinstance(obj, (tuple, LazyRecords))


__all__ = ["BLOCK", "LazyRecords", "RecordIndex", "is_record_sequence", "stream"]


def positional_factory(cls: type[Any]) -> Any:
    """A constructor for a slotted frozen dataclass taking every field positionally, in declaration order.

    For hot loops that build a million records: it sets the slots directly instead of going through the
    generated keyword ``__init__`` and ``object.__setattr__`` per field (about three times faster). The result
    is an ordinary, equal, still frozen instance. Use only where every field value is already validated.
    """
    names = [f.name for f in dataclasses.fields(cls)]
    setters = {f"_s{i}": cls.__dict__[name].__set__ for i, name in enumerate(names)}
    body = "\n".join(f"    _s{i}(obj, {name})" for i, name in enumerate(names))
    source = f"def make({', '.join(names)}):\n    obj = _new(_cls)\n{body}\n    return obj\n"
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls, **setters}
    exec(source, namespace)  # a straight-line setter function generated from the field list
    return namespace["make"]
