"""The simulated world: configuration, the current date, caches of generated days, and every change made
since the seed state (overlay replacements, inserted records, snapshot edits).

Records are generated per (source, tenant, entity, day) on demand (see generator.py) and kept in an LRU
bounded by record count; list queries keep only compact references (day index, position) plus their
summary; a changed record lives in an overlay and bumps the version of its day and of its tenant, so
every cache keyed by those versions is simply bypassed.
"""

import bisect
import copy
from collections import OrderedDict, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from . import generator as gen
from .encoding import dumps
from .faults import Faults
from .tenants import BY_NAME, Tenant

SNAPSHOT = -1
EXTRA_ID_OFFSET = 50_000_000


class LRU:
    """An LRU map bounded by the total weight of its values."""

    def __init__(self, max_weight: int, weigh: Callable[[Any], int] = lambda v: 1):
        self.max_weight, self.weigh = max_weight, weigh
        self.data: OrderedDict = OrderedDict()
        self.weight = 0

    def get(self, key: Any) -> Any:
        value = self.data.get(key)
        if value is not None:
            self.data.move_to_end(key)
        return value

    def put(self, key: Any, value: Any) -> None:
        if key in self.data:
            self.weight -= self.weigh(self.data.pop(key))
        self.data[key] = value
        self.weight += self.weigh(value)
        while self.weight > self.max_weight and len(self.data) > 1:
            _, old = self.data.popitem(last=False)
            self.weight -= self.weigh(old)

    def clear(self) -> None:
        self.data.clear()
        self.weight = 0


@dataclass
class DayEntry:
    records: list[dict]
    encoded: list[bytes | None]


@dataclass
class Selection:
    refs: list[tuple[int, int]]
    summary: Any
    key: tuple

    @property
    def total(self) -> int:
        return len(self.refs)


@dataclass
class Stats:
    requests: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    serpi_in_flight: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    serpi_max_in_flight: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    token_in_use_rejections: int = 0

    def as_dict(self) -> dict:
        return {
            "requests": {s: dict(t) for s, t in self.requests.items()},
            "serpi": {
                "max_in_flight_per_token": dict(self.serpi_max_in_flight),
                "max_in_flight": max(self.serpi_max_in_flight.values(), default=0),
                "token_in_use_rejections": self.token_in_use_rejections,
            },
        }


class World:
    def __init__(self, seed: int = 42, scale: float = 1, today: date | None = None,
                 history_start: date = date(2025, 1, 1), faults: dict | list | None = None):
        self.seed, self.scale = seed, scale
        self.initial_today = today or date.today()
        self.history_start = history_start
        self.initial_faults = faults
        self.reset()

    # ------------------------------------------------------------ state

    def reset(self) -> None:
        self.today = self.initial_today
        self.faults = Faults(self.seed, self.initial_faults)
        self.stats = Stats()
        self.version: dict[tuple, int] = defaultdict(int)
        self.day_version: dict[tuple, int] = defaultdict(int)
        self.overlay: dict[tuple, dict[int, dict | None]] = defaultdict(dict)
        self.extras: dict[tuple, dict[int, list[dict]]] = defaultdict(lambda: defaultdict(list))
        self.extra_days: dict[tuple, dict[int, int]] = defaultdict(dict)
        self.snapshots: dict[tuple, list[dict]] = {}
        self.cumulative: dict[tuple, list[int]] = {}
        self.extra_counter: dict[tuple, int] = defaultdict(int)
        self.clock_ticks = 0
        self.days = LRU(30_000, lambda e: len(e.records) + 1)
        self.base_days = LRU(30_000, lambda records: len(records) + 1)
        self.deleted: dict[tuple, int] = defaultdict(int)
        self.selections = LRU(512)
        self.pages = LRU(64 * 1024 * 1024, len)
        self.arrendasoft_tokens: dict[str, dict] = {}
        self.serpi_no_records_served = 0

    def bump(self, source: str, tenant: str, entity: str, k: int) -> None:
        self.version[(source, tenant)] += 1
        self.day_version[(source, tenant, entity, k)] += 1

    def now(self) -> str:
        """A simulated clock on `today`, later than any generated timestamp of that day."""
        self.clock_ticks += 1
        seconds = 21 * 3600 + self.clock_ticks % (3 * 3600 - 1)
        return f"{self.today.isoformat()}T{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}Z"

    # ------------------------------------------------------------ days and ids

    def day_index(self, day: date) -> int:
        return day.toordinal() - self.history_start.toordinal()

    def day_of(self, k: int) -> date:
        return self.history_start + timedelta(days=k)

    def last_index(self) -> int:
        return self.day_index(self.today)

    def _cumulative(self, source: str, tenant: str, entity: str, k: int) -> list[int]:
        key = (source, tenant, entity)
        cum = self.cumulative.setdefault(key, [0])
        while len(cum) <= k + 1:
            day = self.day_of(len(cum) - 1)
            cum.append(cum[-1] + gen.day_count(self.seed, self.scale, source, tenant, entity, day))
        return cum

    def day_entry(self, source: str, tenant: str, entity: str, k: int) -> DayEntry:
        key = (source, tenant, entity, k, self.day_version[(source, tenant, entity, k)])
        entry = self.days.get(key)
        if entry is not None:
            return entry
        if k == SNAPSHOT:
            records = self.snapshot(source, tenant, entity)
        else:
            records = self._base_day(source, tenant, entity, k)
            overlay = self.overlay.get((source, tenant, entity))
            if overlay:
                idf = gen.id_field(source, entity)
                records = [overlay.get(r[idf], r) if r[idf] in overlay else r for r in records]
                records = [r for r in records if r is not None]
            records = records + self.extras[(source, tenant, entity)].get(k, [])
        entry = DayEntry(records, [None] * len(records))
        self.days.put(key, entry)
        return entry

    def _base_day(self, source: str, tenant: str, entity: str, k: int) -> list[dict]:
        """The generated records of a day, before any change (shared, never mutated)."""
        key = (source, tenant, entity, k)
        records = self.base_days.get(key)
        if records is None:
            cum = self._cumulative(source, tenant, entity, k)
            base = BY_NAME[tenant].id_base
            records = gen.generate_day(self.seed, self.scale, source, tenant, entity, self.day_of(k),
                                       base + cum[k], cum[k + 1] - cum[k], base)
            self.base_days.put(key, records)
        return records

    def count(self, source: str, tenant: str, entity: str, start: date, end: date) -> int:
        """How many records days start..end hold, without generating them."""
        first, last = max(0, self.day_index(start)), min(self.last_index(), self.day_index(end))
        if first > last:
            return 0
        cum = self._cumulative(source, tenant, entity, last)
        extras = self.extras[(source, tenant, entity)]
        added = sum(len(extras.get(k, ())) - self.deleted[(source, tenant, entity, k)] for k in range(first, last + 1))
        return cum[last + 1] - cum[first] + added

    def snapshot(self, source: str, tenant: str, entity: str) -> list[dict]:
        key = (source, tenant, entity)
        if key not in self.snapshots:
            self.snapshots[key] = gen.troyansys_inventory(self.seed, self.scale, tenant)
        return self.snapshots[key]

    def new_id(self, source: str, tenant: str, entity: str) -> int:
        self.extra_counter[(source, tenant, entity)] += 1
        return BY_NAME[tenant].id_base + EXTRA_ID_OFFSET + self.extra_counter[(source, tenant, entity)]

    def locate(self, source: str, tenant: str, entity: str, record_id: int) -> tuple[int, dict] | None:
        """(day index, current record) of a record by id, or None."""
        idf = gen.id_field(source, entity)
        if entity == "inventory":
            for rec in self.snapshot(source, tenant, entity):
                if rec[idf] == record_id:
                    return SNAPSHOT, rec
            return None
        k = self.extra_days[(source, tenant, entity)].get(record_id)
        if k is None:
            offset = record_id - BY_NAME[tenant].id_base
            cum = self._cumulative(source, tenant, entity, self.last_index())
            if offset < 0 or offset >= cum[self.last_index() + 1]:
                return None
            k = bisect.bisect_right(cum, offset) - 1
        for rec in self.day_entry(source, tenant, entity, k).records:
            if rec[idf] == record_id:
                return k, rec
        return None

    # ------------------------------------------------------------ changes

    def replace(self, source: str, tenant: str, entity: str, record_id: int, new: dict | None) -> None:
        """Replace (or with None delete) a record; `new` must be a fresh dict, never a cached one."""
        found = self.locate(source, tenant, entity, record_id)
        if found is None:
            raise KeyError(record_id)
        k, old = found
        idf = gen.id_field(source, entity)
        if k == SNAPSHOT:
            rows = self.snapshot(source, tenant, entity)
            index = next(i for i, r in enumerate(rows) if r is old)
            if new is None:
                rows.pop(index)
            else:
                rows[index] = new
        elif record_id in self.extra_days[(source, tenant, entity)]:
            rows = self.extras[(source, tenant, entity)][k]
            index = next(i for i, r in enumerate(rows) if r[idf] == record_id)
            if new is None:
                rows.pop(index)
                del self.extra_days[(source, tenant, entity)][record_id]
            else:
                rows[index] = new
        else:
            self.overlay[(source, tenant, entity)][record_id] = new
            if new is None:
                self.deleted[(source, tenant, entity, k)] += 1
        self.bump(source, tenant, entity, k)

    def edit(self, source: str, tenant: str, entity: str, record_id: int,
             change: Callable[[dict], None]) -> dict:
        """Apply `change` to a deep copy of the record and store it; returns the new record."""
        found = self.locate(source, tenant, entity, record_id)
        if found is None:
            raise KeyError(record_id)
        new = copy.deepcopy(found[1])
        change(new)
        self.replace(source, tenant, entity, record_id, new)
        return new

    def insert(self, source: str, tenant: str, entity: str, day: date, record: dict) -> None:
        k = self.day_index(day)
        idf = gen.id_field(source, entity)
        self.extras[(source, tenant, entity)][k].append(record)
        self.extra_days[(source, tenant, entity)].setdefault(record[idf], k)
        self.bump(source, tenant, entity, k)

    def generate_one(self, source: str, tenant: str, entity: str, day: date) -> dict:
        """A fresh, realistic record for `day` with a new id (not yet inserted)."""
        new_id = self.new_id(source, tenant, entity)
        rng = gen.rng_for(self.seed, "insert", source, tenant, entity, new_id)
        fn = gen.DAY_GENERATORS[(source, entity)]
        base = BY_NAME[tenant].id_base
        if source in ("serpi", "arrendasoft"):
            return fn(rng, self.seed, self.scale, tenant, day, new_id, 1, id_base=base)[0]
        return fn(rng, self.seed, self.scale, tenant, day, new_id, 1)[0]

    # ------------------------------------------------------------ queries

    def select(self, source: str, tenant: str, entity: str, *, start: date | None = None,
               end: date | None = None, key: tuple = (), match: Callable[[dict], bool] | None = None,
               sort: Callable[[dict], Any] | None = None, reverse: bool = False,
               summarize: Callable[[], Any] | None = None) -> Selection:
        """The records of a filtered, ordered list as references, with its summary (cached per version)."""
        summary_name = type(summarize).__name__ if summarize is not None else None
        if summary_name in ("type", "function"):
            summary_name = summarize.__qualname__
        cache_key = (source, tenant, entity, start, end, key, reverse, summary_name,
                     self.version[(source, tenant)], self.today)
        hit = self.selections.get(cache_key)
        if hit is not None:
            return hit
        if entity == "inventory":
            indexes = [SNAPSHOT]
        else:
            first = 0 if start is None else max(0, self.day_index(start))
            last = self.last_index() if end is None else min(self.last_index(), self.day_index(end))
            indexes = range(first, last + 1)
        idf = gen.id_field(source, entity)
        acc = summarize() if summarize else None
        items = []
        for k in indexes:
            for i, rec in enumerate(self.day_entry(source, tenant, entity, k).records):
                if match is None or match(rec):
                    items.append((sort(rec) if sort else 0, _sortable_id(rec[idf]), k, i))
                    if acc is not None:
                        acc.add(rec)
        if sort is not None or reverse:
            items.sort(key=lambda t: (t[0], t[1]), reverse=reverse)
        selection = Selection([(k, i) for _, _, k, i in items], acc.result() if acc else None, cache_key)
        self.selections.put(cache_key, selection)
        return selection

    def records(self, selection: Selection, offset: int, limit: int) -> list[dict]:
        source, tenant, entity = selection.key[:3]
        return [self.day_entry(source, tenant, entity, k).records[i]
                for k, i in selection.refs[offset:offset + limit]]

    def encoded(self, selection: Selection, offset: int, limit: int) -> list[bytes]:
        """Serialized records of a slice, each serialized once per day version."""
        source, tenant, entity = selection.key[:3]
        out = []
        for k, i in selection.refs[offset:offset + limit]:
            entry = self.day_entry(source, tenant, entity, k)
            raw = entry.encoded[i]
            if raw is None:
                raw = entry.encoded[i] = dumps(entry.records[i])
            out.append(raw)
        return out

    def tenant(self, name: str) -> Tenant:
        return BY_NAME[name]


def _sortable_id(value: Any) -> int:
    return value if isinstance(value, int) else 0
