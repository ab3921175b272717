"""就高从严 ("take the higher, the stricter"), stated once: a resource is graded at least as
strictly as its strictest data item.

Every service that sets a resource's grade asks :func:`strictest` what the grade must be: the
editor and the import (the grade typed, raised to the highest item's), the bulk re-grade (the
grade chosen, raised where an item outranks it) and the review queue (the resource's grade,
raised by an accepted suggestion). On PostgreSQL the database refuses any commit that leaves a
resource below one of its items, whoever writes it (migration 0014, constraint triggers
``data_items_strictest`` and ``data_resources_strictest``, function
``govdesk_strictest_breach``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

G = TypeVar("G")


@dataclass(frozen=True)
class Strictest(Generic[G]):
    """The grade a resource must carry, and why."""

    grade: G | None
    #: the name of the data item whose grade outranks the one asked for (the first of equals),
    #: or None when the asked grade stands
    raised_by: str | None = None


def strictest(asked: G | None, items: Iterable[tuple[str, G | None]],
              rank: Callable[[G], int]) -> Strictest[G]:
    """The grade of a resource asked to be ``asked`` (None: ungraded) whose data items are
    ``items`` ((name, grade or None) pairs): ``asked``, unless an item's grade outranks it by
    ``rank`` (higher is stricter); then the highest item grade, naming that item. Ungraded
    items never raise anything."""
    top: tuple[str, G] | None = None
    for name, grade in items:
        if grade is not None and (top is None or rank(grade) > rank(top[1])):
            top = (name, grade)
    if top is None or (asked is not None and rank(top[1]) <= rank(asked)):
        return Strictest(asked)
    return Strictest(top[1], top[0])
