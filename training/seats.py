"""The seat engine: the one place that counts an offering's seats, taken and free.

Seats
-----
An offering has `seats` general seats plus, per unit, the seats reserved for that unit
(`OfferingUnitQuota`, on top of the general ones): one general pool and one pool per unit
quota. An enrolment holds a seat while its status is in `Enrolment.SEAT_STATUSES` (confirmed,
completed, no-show; see `Enrolment.holds_seat`); `reserved_unit` tells which pool the seat
came from (NULL = general). An employee whose unit has a reserved quota takes a reserved seat
first while one is free, otherwise a general seat (`SeatState.pick`).

Never oversold
--------------
The invariant: in every pool, the seats taken never exceed the pool's seats, and a reserved
seat is only ever held in a pool that exists. So confirmed enrolments never exceed
`seats + Σ quotas`, under any number of concurrent requests.

It holds because every write that takes or frees a seat, or changes a pool (enrol, approve,
promote, reject, cancel; fewer seats, a smaller or removed unit quota), first locks the
offering row with `lock_offering()` (`SELECT ... FOR UPDATE OF offering` on PostgreSQL;
SQLite serialises writers itself and ignores the lock), then re-counts with `seat_state()`
inside the same transaction and only then writes. Nobody counts seats outside this module, and
nobody writes a seat without that lock. The partial unique constraint "one live enrolment per
offering" is the backstop against a double enrolment.

Because no pool is ever overfull, the seats left are both `Σ over pools of (seats − taken)` and
`seats_total − seats_taken`; the engine computes the first (what `SeatState.pick` hands out)
everywhere: in Python for one offering under its lock (`SeatState`), and in SQL for lists and
APIs (`with_seats`, constant queries whatever the number of offerings).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest

from regions.models import Unit
from training.models import Enrolment, Offering, OfferingUnitQuota

# --- The lock ----------------------------------------------------------------------------------


def lock_offering(*, offering_id: int) -> Offering:
    """Lock the offering row for the rest of the transaction and return it fresh (with its
    programme, the programme's form and region). Every write that takes or frees a seat calls this first."""
    return (
        Offering.objects.select_for_update(of=("self",))
        .select_related("program", "program__form", "region")
        .get(pk=offering_id)
    )


# --- One offering, in Python (under its lock) --------------------------------------------------


def seat_holders() -> QuerySet[Enrolment]:
    """Enrolments that hold a seat."""
    return Enrolment.objects.filter(status__in=Enrolment.SEAT_STATUSES)


@dataclass
class SeatState:
    """Seat usage of one offering. Counted under its lock before a write; `pick` and `take`
    keep it current while one transaction hands out several seats."""

    general_seats: int
    general_used: int
    quotas: dict[int, int] = field(default_factory=dict)  # unit id -> reserved seats
    reserved_used: dict[int, int] = field(default_factory=dict)  # unit id -> seats held
    units: dict[int, Unit] = field(default_factory=dict)  # unit id -> unit, when asked for

    @property
    def general_free(self) -> int:
        return max(self.general_seats - self.general_used, 0)

    def reserved_free(self, unit_id: int | None) -> int:
        if unit_id is None or unit_id not in self.quotas:
            return 0
        return max(self.quotas[unit_id] - self.reserved_used.get(unit_id, 0), 0)

    @property
    def any_free(self) -> bool:
        return self.general_free > 0 or any(self.reserved_free(u) for u in self.quotas)

    @property
    def reserved_seats(self) -> int:
        return sum(self.quotas.values())

    @property
    def total_seats(self) -> int:
        return self.general_seats + self.reserved_seats

    @property
    def taken(self) -> int:
        return self.general_used + sum(self.reserved_used.values())

    @property
    def seats_left(self) -> int:
        return self.general_free + sum(self.reserved_free(u) for u in self.quotas)

    def left_for(self, unit_id: int | None) -> int:
        """Seats an employee of `unit_id` could still get: general plus their unit's."""
        return self.general_free + self.reserved_free(unit_id)

    def pick(self, unit_id: int | None) -> tuple[bool, int | None]:
        """(fits, reserved_unit_id) for an employee of `unit_id`; a reserved seat goes first."""
        if self.reserved_free(unit_id):
            return True, unit_id
        if self.general_free:
            return True, None
        return False, None

    def take(self, reserved_unit_id: int | None) -> None:
        if reserved_unit_id is None:
            self.general_used += 1
        else:
            self.reserved_used[reserved_unit_id] = self.reserved_used.get(reserved_unit_id, 0) + 1


def seat_states(*, offerings: Iterable[Offering], with_units: bool = False) -> dict[int, SeatState]:
    """The seat state of each offering (by id), in two queries whatever their number.

    `with_units` also loads each quota's unit (in the same query), quotas ordered by unit name.
    """
    offerings = {offering.pk: offering for offering in offerings}
    if not offerings:
        return {}
    used: dict[int, dict[int | None, int]] = {pk: {} for pk in offerings}
    for offering_id, unit_id, n in (
        seat_holders()
        .filter(offering_id__in=list(offerings))
        .order_by()
        .values("offering_id", "reserved_unit_id")
        .annotate(n=Count("id"))
        .values_list("offering_id", "reserved_unit_id", "n")
    ):
        used[offering_id][unit_id] = n
    quotas = OfferingUnitQuota.objects.filter(offering_id__in=list(offerings))
    states = {
        pk: SeatState(
            general_seats=offering.seats,
            general_used=used[pk].pop(None, 0),
            reserved_used=used[pk],
        )
        for pk, offering in offerings.items()
    }
    if with_units:
        for quota in quotas.select_related("unit").order_by("unit__name"):
            state = states[quota.offering_id]
            state.quotas[quota.unit_id] = quota.seats
            state.units[quota.unit_id] = quota.unit
    else:
        for offering_id, unit_id, seats in quotas.values_list("offering_id", "unit_id", "seats"):
            states[offering_id].quotas[unit_id] = seats
    return states


def seat_state(*, offering: Offering, with_units: bool = False) -> SeatState:
    """Count the seats of one offering (two queries). Call it under the offering's lock
    before writing."""
    return seat_states(offerings=[offering], with_units=with_units)[offering.pk]


def general_seats_taken(*, offering: Offering) -> int:
    """Seats of the general pool in use (a reserved unit seat does not count against `seats`)."""
    return seat_holders().filter(offering_id=offering.pk, reserved_unit__isnull=True).count()


def unit_seats_taken(*, offering: Offering, unit_id: int) -> int:
    """Seats of one unit's reserved pool in use."""
    return seat_holders().filter(offering_id=offering.pk, reserved_unit_id=unit_id).count()


# --- Many offerings, in SQL --------------------------------------------------------------------


def _count(queryset: QuerySet, group: str) -> Coalesce:
    """COUNT(*) of `queryset` grouped by `group`, as a subquery that is 0 when empty."""
    counted = queryset.order_by().values(group).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def reserved_seats() -> Coalesce:
    """For `Offering` querysets: Σ of the offering's unit quotas (0 without any)."""
    total = (
        OfferingUnitQuota.objects.filter(offering=OuterRef("pk"))
        .order_by()
        .values("offering")
        .annotate(total=Sum("seats"))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


def quota_seats_used() -> Coalesce:
    """For `OfferingUnitQuota` querysets: the seats of the quota's pool in use."""
    used = seat_holders().filter(offering=OuterRef("offering"), reserved_unit=OuterRef("unit"))
    return _count(used, "reserved_unit")


def _reserved_free() -> Coalesce:
    """Σ over the offering's unit quotas of the reserved seats still free."""
    free = (
        OfferingUnitQuota.objects.filter(offering=OuterRef("pk"))
        .annotate(used=quota_seats_used())
        .order_by()
        .values("offering")
        .annotate(free=Sum(Greatest(F("seats") - F("used"), Value(0))))
        .values("free")
    )
    return Coalesce(Subquery(free, output_field=IntegerField()), Value(0))


def with_seats(queryset: QuerySet[Offering]) -> QuerySet[Offering]:
    """Annotate offerings with their seats, in SQL (correlated subqueries: one query whatever
    the number of offerings, and joins elsewhere in the query never multiply the counts).

    seats_taken: enrolments holding a seat, from any pool;
    reserved_seats: Σ of the unit quotas (0 without any); seats_total: seats + reserved_seats;
    general_taken: seat holders on a general seat; reserved_free: Σ of the free reserved seats;
    seats_left: free general seats (never below 0) + reserved_free — the same number as
    `SeatState.seats_left`, and as seats_total − seats_taken (see "Never oversold").
    All are 0, not NULL, for an offering without enrolments or quotas.
    """
    return queryset.annotate(
        seats_taken=_count(seat_holders().filter(offering=OuterRef("pk")), "offering"),
        reserved_seats=reserved_seats(),
        general_taken=_count(
            seat_holders().filter(offering=OuterRef("pk"), reserved_unit__isnull=True),
            "offering",
        ),
        reserved_free=_reserved_free(),
    ).annotate(
        seats_total=F("seats") + F("reserved_seats"),
        seats_left=Greatest(F("seats") - F("general_taken"), Value(0)) + F("reserved_free"),
    )


def seats_taken_count(relation: str = "enrolments") -> Count:
    """Seat holders counted through `relation` (offering → enrolments), for grouped queries
    that already join the enrolments (e.g. a report's per-offering aggregates)."""
    return Count(relation, filter=Q(**{f"{relation}__status__in": Enrolment.SEAT_STATUSES}))
