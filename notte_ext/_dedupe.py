"""Which items of a listing's pages are new: exact, or loud; never a quiet guess.

The API has no cursor, and items created while you page push older ones onto later pages.
With a newest-first sort key (`PageRules.newest_first_by`) that can be handled in constant
memory: a duplicate is one of the last items yielded (a bounded window of keys), or newer than
anything that left the window; an item newer than the first one of page 1 was created after the
listing began and is set aside. Without a sort key only the window is used.

That rests on the server's order, which the spec does not promise. So every page is checked
before any of it is used. Under newest first, with runs only being created, a page is a slice of
one sorted listing: the runs created since the listing began (newer than its first item), then
the items yielded so far in the order they were yielded, then new ones, older than all of them;
and the last page ends with the oldest run. The first item that breaks this switches the listing,
for the rest of it, to an exact dedupe by key (a set of every key seen, at most
`EXACT_DEDUPE_LIMIT`), and the items set aside as "created after the listing began" are yielded
after all: on such a server they are not. Where exactness is no longer possible (keys already
evicted from the window, more items set aside than it holds, or the set's bound reached) it
raises `PaginationError` naming the two items that broke the order.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, NamedTuple, TypeVar

from attrs import define, field

from notte_ext.errors import PaginationError

T = TypeVar("T")

# Keys remembered for dedupe while the order holds (~100 bytes each): a duplicate needs more items
# than this created between two page requests to fall outside it, and then the sort key catches it.
DEFAULT_DEDUPE_WINDOW = 2_000
# Keys kept once the order is known broken: ~125 bytes per run id (a 36-character str, its set slot),
# so ~25 MB at most (measured with tracemalloc).
EXACT_DEDUPE_LIMIT = 200_000


class _Seen(NamedTuple):
    """One item, as the checks and error messages see it: its key and its sort key (a tuple:
    cheap to make for every item of every page)."""

    key: Hashable
    rank: Any

    def __str__(self) -> str:
        rank = self.rank.isoformat().replace("+00:00", "Z") if hasattr(self.rank, "isoformat") else self.rank
        return f"{self.key} ({rank})"


@define(frozen=True)
class PageCount:
    """What a page held: new items, duplicates of ones already listed, and ones set aside as
    created after the listing began (all three zero: an empty page)."""

    new: int = 0
    duplicates: int = 0
    set_aside: int = 0

    def describe(self) -> str:
        """Why nothing on the page was new, for the "no new items" error."""
        if not (self.duplicates or self.set_aside):
            return "was empty"
        parts = [f"{self.duplicates} already listed"] if self.duplicates else []
        parts += [f"{self.set_aside} created after the listing began"] if self.set_aside else []
        return f"brought no new items ({', '.join(parts)})"


NEW, DUPLICATE, LATER = "new", "duplicate", "later"  # what an item of a page is


EVICTED = -1  # the position of a duplicate already evicted from the window: known only to be below it


class _Expect(NamedTuple):
    """Under newest first, each page is a slice of one sorted listing: the runs created since it
    began (newer than its first item), then the items yielded so far in the order they were, then
    new ones. So the next item, after `after`, must be the one yielded in position `position`
    (`count`, the number yielded: a new one), on this page; on the next page, read later, runs
    created meanwhile may have pushed it back to `position` or before (`exact` False)."""

    position: int
    exact: bool = False
    after: _Seen | None = None


def _fits(expect: _Expect, position: int, lowest: int) -> bool:
    """Whether a duplicate yielded at `position` (EVICTED: below `lowest`, the oldest kept) can
    come where `expect` says."""
    if expect.position == EVICTED:  # after an evicted one: another, or the oldest kept
        return position in (EVICTED, lowest)
    if position == EVICTED:
        return not expect.exact or expect.position < lowest
    return position == expect.position if expect.exact else position <= expect.position


@define
class Dedupe(Generic[T]):
    """The dedupe state of one pass over a listing; `fresh` returns what of a page is new."""

    key: Callable[[T], Hashable]
    label: str
    newest_first_by: Callable[[T], Any] | None = None
    window: int = DEFAULT_DEDUPE_WINDOW
    exact_limit: int = EXACT_DEDUPE_LIMIT
    # Most recently yielded keys (oldest first) -> their sort key (None without newest_first_by), position.
    recent: OrderedDict[Hashable, tuple[Any, int]] = field(factory=OrderedDict)
    first: _Seen | None = None  # the first item of page 1: anything newer came later
    oldest: _Seen | None = None  # the last item yielded: under newest first, the oldest so far
    forgotten: Any = None  # sort key of the last item evicted from `recent`: anything newer was yielded
    forgotten_keys: set[Hashable] = field(factory=set)  # the evicted items with exactly that sort key
    count: int = 0  # items yielded: the position of the next new one
    expect: _Expect = field(factory=lambda: _Expect(0))
    set_aside: dict[Hashable, T] = field(factory=dict)  # newer than the listing: yielded if the order breaks
    overflowed: bool = False  # more were set aside than `window`: the order can no longer break quietly
    exact: set[Hashable] | None = None  # every key seen, once the order is known not newest first
    broken: str | None = None  # the two items that showed it, for error messages

    @property
    def is_exact(self) -> bool:
        return self.exact is not None

    def fresh(self, items: list[T], last_page: bool) -> tuple[list[T], PageCount]:
        """The items of a page not yielded before (in page order), and what the page held."""
        if self.exact is None:
            read = self._read(items, last_page)
            if isinstance(read, list):
                return self._take(items, read)
            self._go_exact(*read)
        return self._fresh_exact(items)

    def _read(self, items: list[T], last_page: bool) -> list[tuple[str, _Seen]] | tuple[_Seen, _Seen]:
        """What each item of a page is, or the first two items that show the server does not
        list newest first (no state changes: the page is used only if it is consistent)."""
        rank_of = self.newest_first_by
        on_page: set[Hashable] = set()
        read: list[tuple[str, _Seen]] = []
        if rank_of is None:  # no order to rely on: the window only
            for key in map(self.key, items):
                read.append((DUPLICATE if key in self.recent or key in on_page else NEW, _Seen(key, None)))
                on_page.add(key)
            return read
        first, oldest, count, before = self.first, self.oldest, self.count, None
        expect = self.expect._replace(exact=False)
        lowest = next(iter(self.recent.values()))[1] if self.recent else count  # position of the oldest kept
        for item in items:
            seen = _Seen(self.key(item), rank_of(item))
            if before is not None and (seen.rank > before.rank or seen.key in on_page):
                return before, seen  # a page is a slice of one sorted listing (each item once)
            before, entry = seen, self.recent.get(seen.key)
            on_page.add(seen.key)
            if entry is None and first is not None and seen.rank > first.rank:
                kind, expect = LATER, _Expect(0, True, seen)  # then the listing as it began, from its top
            elif entry is not None:
                kind, expect, fits = DUPLICATE, _Expect(entry[1] + 1, True, seen), _fits(expect, entry[1], lowest)
            elif self._forgotten(seen):  # pushed down by a burst larger than the window
                kind, expect, fits = DUPLICATE, _Expect(EVICTED, True, seen), _fits(expect, EVICTED, lowest)
            else:
                kind, fits = NEW, expect.position == count and (oldest is None or seen.rank <= oldest.rank)
                first, oldest, count = first or seen, seen, count + 1
                expect = _Expect(count, True, seen)
            if kind != LATER and not fits:
                return (expect.after or oldest or seen), seen
            read.append((kind, seen))
        if last_page and expect.position != count:  # the listing ends with its oldest run, yielded or new
            return (expect.after or seen), before or seen
        self.expect = expect
        return read

    def _take(self, items: list[T], read: list[tuple[str, _Seen]]) -> tuple[list[T], PageCount]:
        fresh: list[T] = []
        set_aside = 0
        for item, (kind, seen) in zip(items, read, strict=True):
            if kind == NEW:
                self._remember(seen)
                fresh.append(item)
            elif kind == LATER:
                self._set_aside(seen.key, item)
                set_aside += 1
        return fresh, PageCount(len(fresh), len(items) - len(fresh) - set_aside, set_aside)

    def _go_exact(self, earlier: _Seen, later: _Seen) -> None:
        self.broken = f"{later} was listed after {earlier}"
        if self.forgotten is not None or self.overflowed:
            raise PaginationError(
                f"{self.label}: the server does not list newest first ({self.broken}); over {self.window} "
                "runs in, can't dedupe exactly: list fewer (only_active) or report it"
            )
        self.exact = set(self.recent)
        self.recent.clear()

    def _fresh_exact(self, items: list[T]) -> tuple[list[T], PageCount]:
        backlog = list(self.set_aside.values())  # created "after the listing began": not on this server
        self.set_aside.clear()
        seen, fresh = self.exact, []
        assert seen is not None
        for item in backlog + items:
            key = self.key(item)
            if key not in seen:
                seen.add(key)
                fresh.append(item)
        if len(seen) > self.exact_limit:
            raise PaginationError(
                f"{self.label}: the server does not list newest first ({self.broken}); over "
                f"{self.exact_limit} runs, can't dedupe exactly: list fewer (only_active) or report it"
            )
        return fresh, PageCount(new=len(fresh), duplicates=len(backlog) + len(items) - len(fresh))

    def _set_aside(self, key: Hashable, item: T) -> None:
        if len(self.set_aside) < self.window:
            self.set_aside[key] = item
        elif key not in self.set_aside:
            self.overflowed = True

    def _remember(self, seen: _Seen) -> None:
        if self.first is None:
            self.first = seen
        self.oldest = seen
        self.recent[seen.key] = (seen.rank, self.count)
        self.count += 1
        if len(self.recent) > self.window:
            gone_key, (gone, _) = self.recent.popitem(last=False)
            if gone is not None:  # yielded newest first: each one evicted is the oldest so far
                if gone == self.forgotten:
                    self.forgotten_keys.add(gone_key)
                else:
                    self.forgotten, self.forgotten_keys = gone, {gone_key}

    def _forgotten(self, seen: _Seen) -> bool:
        """Yielded, then evicted from `recent`: newer than the last one evicted, or as new and
        one of the (few) evicted with that very sort key."""
        if self.forgotten is None:
            return False
        return bool(seen.rank > self.forgotten) or (seen.rank == self.forgotten and seen.key in self.forgotten_keys)
