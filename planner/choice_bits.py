"""Exercise choice in bits: a component's targets and the muscle groups or regions exercises cover.

The prescription's greedy choice (planner.prescribe.select_for_targets) counts, for every candidate
of every pick, the targets it would newly serve and the groups it would newly cover; as bit masks
those counts are a few integer operations instead of set differences.
"""

from __future__ import annotations

from planner.memo import token
from planner.muscles import SLOTS, Target
from planner.types import ExerciseSpec


def covers(spec: ExerciseSpec) -> frozenset[str]:
    """What an exercise covers for the choice: the regions a stretch stretches, else its muscle groups."""
    if spec.component == "flexibility" and spec.stretched_regions:
        return frozenset(spec.stretched_regions)
    return frozenset(spec.muscle_groups)


class TargetBits:
    """A component's targets as bits (bit n: targets[n]), with what an exercise serves as a mask."""

    def __init__(self, targets: tuple[Target, ...]) -> None:
        self.targets = targets
        self.in_slots = {slots: sum(1 << n for n, t in enumerate(targets) if t.slots == slots) for slots in SLOTS}
        self._group = [
            sum(1 << m for m, other in enumerate(targets) if other.group == target.group) for target in targets
        ]
        self._served: dict[str, tuple[ExerciseSpec, int]] = {}

    def served(self, spec: ExerciseSpec) -> int:
        found = self._served.get(spec.slug)
        if found is None or found[0] is not spec:
            mask = sum(1 << n for n, target in enumerate(self.targets) if target.served_by_exercise(spec))
            found = self._served[spec.slug] = (spec, mask)
        return found[1]

    def targets_of(self, mask: int) -> tuple[Target, ...]:
        return tuple(target for n, target in enumerate(self.targets) if mask >> n & 1)

    def same_group(self, mask: int) -> int:
        """The targets whose group is that of a target in `mask`."""
        out = 0
        for n, group in enumerate(self._group):
            if mask >> n & 1:
                out |= group
        return out


_TARGET_BITS: dict[int, tuple[tuple[Target, ...], TargetBits]] = {}


def target_bits(targets: tuple[Target, ...]) -> TargetBits:
    """The bits of `targets`, kept by their token (planner.memo: equal targets share one)."""
    found = _TARGET_BITS.get(token(targets))
    if found is None:
        if len(_TARGET_BITS) >= 1024:
            _TARGET_BITS.clear()
        found = _TARGET_BITS[token(targets)] = (targets, TargetBits(targets))
    return found[1]


# A bit for each muscle group or region an exercise covers (covers), given as they are first met.
_COVER_BIT: dict[str, int] = {}
_COVERS: dict[str, tuple[ExerciseSpec, int]] = {}


def cover_bits(spec: ExerciseSpec) -> int:
    found = _COVERS.get(spec.slug)
    if found is None or found[0] is not spec:
        mask = 0
        for name in covers(spec):
            mask |= 1 << _COVER_BIT.setdefault(name, len(_COVER_BIT))
        if len(_COVERS) >= 4096:
            _COVERS.clear()
        found = _COVERS[spec.slug] = (spec, mask)
    return found[1]
