"""Equipment drawn around a figure: still shapes in box coordinates, placed from the figure's position.

An equipment entry may give its own x (where its main part stands); otherwise each kind has a
default place relative to the figure (a chair under a seated figure, in front of a standing one).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.figures.library import Equipment, Figure
    from planner.figures.scene import Shape

FLOOR = 112.0
MAT_TOP = 110.0
BED_TOP = 80.0
CHAIR_SEAT = 94.0
SEATS = {"upright_bike": 80.0, "recumbent_bike": 92.0, "leg_press": 92.0, "rowing_machine": 104.0}
SUPPORTS = (
    ("bed", BED_TOP),
    ("mat", MAT_TOP),
    ("cushion", FLOOR - 4.0),
    ("treadmill", FLOOR - 4.0),
    ("elliptical", FLOOR - 6.0),
)


def seat_top(figure: Figure) -> float:
    for item in figure.equipment:
        if item.kind in SEATS:
            return SEATS[item.kind]
    return CHAIR_SEAT


def support_top(figure: Figure) -> float:
    kinds = {item.kind for item in figure.equipment}
    for kind, top in SUPPORTS:
        if kind in kinds:
            return top
    return FLOOR


def _shape(kind: str, coords: Iterable[float], style: str, width: float = 0.0) -> Shape:
    from planner.figures.scene import Shape

    return Shape(kind, tuple(float(v) for v in coords), style, width)


def _line(x1: float, y1: float, x2: float, y2: float, width: float = 2.0, style: str = "equip-line") -> Shape:
    return _shape("line", (x1, y1, x2, y2), style, width)


def _rect(x: float, y: float, w: float, h: float, style: str = "equip") -> Shape:
    return _shape("rect", (x, y, w, h), style)


def _circle(cx: float, cy: float, r: float, style: str = "equip-line") -> Shape:
    return _shape("circle", (cx, cy, r), style, 1.5)


def _chair(x_back: float, direction: float) -> list[Shape]:
    front = x_back + 18.0 * direction
    return [
        _line(x_back, FLOOR, x_back, CHAIR_SEAT - 26.0, 2.5),
        _line(front, FLOOR, front, CHAIR_SEAT, 2.5),
        _line(x_back, CHAIR_SEAT, front, CHAIR_SEAT, 3.0),
    ]


def _draw(item: Equipment, figure: Figure) -> list[Shape]:
    rx = figure.x
    sitting = figure.pose in ("sit", "sit_front")
    x = item.x or None
    kind = item.kind
    if kind == "chair" and figure.pose == "sit_front":
        x = x or rx
        return [
            _rect(x - 11.0, CHAIR_SEAT - 30.0, 22.0, 30.0),
            _line(x - 12, CHAIR_SEAT, x + 12, CHAIR_SEAT, 3.0),
            _line(x - 11, CHAIR_SEAT, x - 11, FLOOR, 2.5),
            _line(x + 11, CHAIR_SEAT, x + 11, FLOOR, 2.5),
        ]
    if kind == "chair":
        direction = -1.0 if item.side == "left" else 1.0
        if x is None:
            x = rx - 9.0 if sitting else rx + 16.0
        return _chair(x, direction)
    if kind == "rail":
        x = x or rx + 14.0
        return [
            _line(x + 4, FLOOR, x + 4, 64.0, 2.0),
            _line(x + 34, FLOOR, x + 34, 64.0, 2.0),
            _line(x, 66.0, x + 38, 66.0, 3.0),
        ]
    if kind == "wall":
        x = x or rx + 30.0
        return [_rect(x, 6.0, 6.0, FLOOR - 6.0)]
    if kind == "door":
        x = x or rx + 14.0
        return [_rect(x, 10.0, 4.0, FLOOR - 10.0), _line(x - 2, 10.0, x + 20, 10.0, 3.0)]
    if kind == "bed":
        x = x or rx
        return [
            _rect(x - 52.0, BED_TOP, 106.0, 6.0),
            _line(x - 48, BED_TOP + 6, x - 48, FLOOR, 3.0),
            _line(x + 50, BED_TOP + 6, x + 50, FLOOR, 3.0),
        ]
    if kind == "mat":
        x = x or rx
        return [_rect(x - 58.0, MAT_TOP, 116.0, FLOOR - MAT_TOP)]
    if kind == "step":
        x = x or rx + 8.0
        return [_rect(x, FLOOR - 8.0, item.width or 26.0, 8.0)]
    if kind == "counter":
        x = x or rx + 18.0
        return [_rect(x, 70.0, 40.0, 4.0), _rect(x + 6, 74.0, 34.0, FLOOR - 74.0)]
    if kind == "cushion":
        x = x or rx
        return [_rect(x - 12.0, FLOOR - 4.0, 24.0, 4.0)]
    if kind == "treadmill":
        x = x or rx
        return [
            _rect(x - 30.0, FLOOR - 4.0, 62.0, 4.0),
            _line(x + 32, FLOOR - 4, x + 36, 60.0, 2.5),
            _line(x + 36, 60.0, x + 24, 62.0, 2.5),
        ]
    if kind == "elliptical":
        x = x or rx
        return [
            _rect(x - 26.0, FLOOR - 3.0, 56.0, 3.0),
            _line(x + 30, FLOOR, x + 30, 58.0, 2.5),
            _line(x + 30, 58.0, x + 18, 56.0, 2.0),
        ]
    if kind == "upright_bike":
        x = x or rx
        seat = SEATS[kind]
        return [
            _line(x - 6, seat, x + 4, seat, 3.0),
            _line(x, seat, x + 8, FLOOR - 4, 2.5),
            _line(x - 10, FLOOR, x + 36, FLOOR, 3.0),
            _circle(x + 8, 96.0, 7.0),
            _line(x + 8, FLOOR - 4, x + 30, 58.0, 2.5),
            _line(x + 30, 58.0, x + 24, 56.0, 2.5),
        ]
    if kind == "recumbent_bike":
        x = x or rx
        seat = SEATS[kind]
        return [
            _line(x - 8, seat, x + 10, seat, 3.0),
            _line(x - 10, seat, x - 14, seat - 26, 3.0),
            _line(x, seat, x + 8, FLOOR, 2.5),
            _line(x - 16, FLOOR, x + 52, FLOOR, 3.0),
            _line(x + 44, FLOOR, x + 44, 96.0, 2.5),
            _circle(x + 44, 96.0, 7.0),
        ]
    if kind == "leg_press":
        x = x or rx
        seat = SEATS[kind]
        return [
            _line(x - 8, seat, x + 10, seat, 3.0),
            _line(x - 10, seat, x - 20, seat - 28, 3.0),
            _line(x - 20, FLOOR, x + 70, FLOOR, 3.0),
            _line(x, seat, x, FLOOR, 2.5),
            _line(x + 52, FLOOR, x + 52, 56.0, 3.0),
        ]
    if kind == "rowing_machine":
        x = x or rx
        seat = SEATS[kind]
        return [
            _line(x - 30, FLOOR - 4, x + 62, FLOOR - 4, 3.0),
            _line(x - 6, seat, x + 8, seat, 3.0),
            _line(x + 58, FLOOR - 4, x + 54, 96.0, 3.0),
            _circle(x + 60, 98.0, 5.0),
        ]
    if kind == "arm_ergometer":
        x = x or rx + 34.0
        top = 74.0 if sitting else 62.0
        return [_line(x, FLOOR, x, top, 3.0), _line(x - 8, FLOOR, x + 8, FLOOR, 3.0), _circle(x - 5, top, 5.0)]
    if kind == "cable_machine":
        x = x or rx + 40.0
        return [_rect(x, 24.0, 8.0, FLOOR - 24.0), _circle(x, 78.0, 2.5)]
    if kind == "pool":
        return [_rect(0.0, 56.0, 160.0, FLOOR - 56.0, "water")]
    raise ValueError(f"no drawing for {kind!r}")


def equipment_shapes(figure: Figure) -> list[Shape]:
    """The floor line and every piece of the figure's equipment, in box coordinates."""
    shapes = [_line(4.0, FLOOR + 1.0, 156.0, FLOOR + 1.0, 2.0, "floor")]
    back: list[Equipment] = []
    front: list[Equipment] = []
    for item in figure.equipment:
        (back if item.kind in ("pool",) else front).append(item)
    for item in back + front:
        shapes += _draw(item, figure)
    return shapes
