"""The figures of the exercise library as data (planner/data/figures.json), checked on load.

Each exercise has a view ("side" or "front"), a base posture (`pose`), the equipment drawn around
it, what it holds or wears (`loads` and `tools`) and at least two keyframes of joint angles over that
posture. A keyframe may also move the whole figure: `lift` (units up) and `shift` (units forward).
`moves`: the joints that change between keyframes (checked against the keyframes). `still`: muscle
groups the exercise trains that hold still rather than move (balance, bracing), so a test can ask
every other trained muscle group to move a joint. `says`: the movement in words, for alt text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from planner.figures.pose import JOINTS

FIGURES_PATH = Path(__file__).resolve().parent.parent / "data" / "figures.json"

# Base postures: the joint angles every keyframe starts from.
_STAND = dict.fromkeys(JOINTS, 0.0)
POSES: dict[str, dict[str, float]] = {
    "stand": _STAND,
    "sit": {
        **_STAND,
        "trunk": -4.0,
        "hip_r": 88.0,
        "hip_l": 88.0,
        "knee_r": 88.0,
        "knee_l": 88.0,
        "elbow_r": 60.0,
        "elbow_l": 60.0,
        "shoulder_r": 10.0,
        "shoulder_l": 10.0,
    },
    "floor_sit": {
        **_STAND,
        "trunk": -5.0,
        "hip_r": 95.0,
        "hip_l": 95.0,
        "ankle_r": -10.0,
        "ankle_l": -10.0,
        "shoulder_r": 10.0,
        "shoulder_l": 10.0,
    },
    "supine": {**_STAND, "trunk": -90.0, "ankle_r": -15.0, "ankle_l": -15.0, "shoulder_r": 5.0, "shoulder_l": 5.0},
    "prone": {
        **_STAND,
        "trunk": 90.0,
        "ankle_r": -80.0,
        "ankle_l": -80.0,
        "shoulder_r": 170.0,
        "shoulder_l": 170.0,
        "elbow_r": 10.0,
        "elbow_l": 10.0,
    },
    "quadruped": {
        **_STAND,
        "trunk": 88.0,
        "hip_r": 90.0,
        "hip_l": 90.0,
        "knee_r": 90.0,
        "knee_l": 90.0,
        "ankle_r": -80.0,
        "ankle_l": -80.0,
        "shoulder_r": 88.0,
        "shoulder_l": 88.0,
        "wrist_r": 80.0,
        "wrist_l": 80.0,
    },
    # Seated, seen from the front: the thighs point at the viewer, so they are drawn short.
    "sit_front": {**_STAND, "hip_r": 6.0, "hip_l": 6.0},
    "side_lying": {**_STAND, "trunk": 90.0, "shoulder_r": 10.0, "shoulder_l": 150.0, "elbow_l": 130.0},
}
VIEWS = ("side", "front")
EQUIPMENT_KINDS = (
    "chair",
    "rail",
    "bed",
    "mat",
    "wall",
    "step",
    "counter",
    "treadmill",
    "upright_bike",
    "recumbent_bike",
    "arm_ergometer",
    "leg_press",
    "rowing_machine",
    "elliptical",
    "cable_machine",
    "pool",
    "cushion",
    "door",
)
LOAD_KINDS = ("dumbbell", "ankle_weight", "cuff_weight", "band", "cable")
TOOL_KINDS = ("pole", "trainer", "rope")
ATTACH_POINTS = ("hand_r", "hand_l", "ankle_r", "ankle_l")
FRAME_MOVES = ("lift", "shift", "y")


class FigureDataError(ValueError):
    """figures.json names an unknown exercise, joint, posture or piece of equipment."""


@dataclass(frozen=True)
class Equipment:
    """A piece of equipment drawn still: its kind and where (x, units from the left; side: which way)."""

    kind: str
    x: float
    width: float = 0.0
    side: str = ""


@dataclass(frozen=True)
class Load:
    """A weight or band the figure moves. at: "hand_r" ... ; anchor: where a band or cable is fixed
    (absolute x, y, or the other hand or foot holding it), or None for a weight."""

    kind: str
    at: str
    anchor: tuple[float, float] | str | None = None


@dataclass(frozen=True)
class Keyframe:
    """Full joint angles (every JOINTS name) and how far the whole figure is lifted and shifted."""

    angles: dict[str, float]
    lift: float = 0.0
    shift: float = 0.0
    y: float | None = None  # the pelvis height, when set (the figure does not rest on the floor)


@dataclass(frozen=True)
class Figure:
    slug: str
    view: str
    pose: str
    x: float
    equipment: tuple[Equipment, ...]
    loads: tuple[Load, ...]
    tools: tuple[Load, ...]
    keyframes: tuple[Keyframe, ...]
    moves: tuple[str, ...]
    still: tuple[str, ...]
    says: str

    def moving_joints(self, threshold: float = 4.0) -> tuple[str, ...]:
        """The joints whose angle changes by at least `threshold` degrees between any two keyframes."""
        moving = []
        for joint in JOINTS:
            values = [frame.angles[joint] * (45.0 if joint == "breath" else 1.0) for frame in self.keyframes]
            if max(values) - min(values) >= threshold:
                moving.append(joint)
        return tuple(moving)


DEFAULT_X = {
    "stand": 80.0,
    "sit": 74.0,
    "sit_front": 80.0,
    "floor_sit": 60.0,
    "supine": 78.0,
    "prone": 72.0,
    "quadruped": 66.0,
    "side_lying": 80.0,
}


def figure_from_dict(slug: str, data: dict[str, Any]) -> Figure:
    view = data.get("view", "side")
    pose = data.get("pose", "stand")
    if view not in VIEWS or pose not in POSES:
        raise FigureDataError(f"{slug}: unknown view {view!r} or pose {pose!r}")
    base = POSES[pose]
    keyframes = []
    for frame in data["frames"]:
        unknown = set(frame) - set(JOINTS) - set(FRAME_MOVES)
        if unknown:
            raise FigureDataError(f"{slug}: unknown joints {sorted(unknown)}")
        angles = {joint: float(frame.get(joint, base[joint])) for joint in JOINTS}
        y = frame.get("y")
        keyframes.append(
            Keyframe(
                angles, float(frame.get("lift", 0.0)), float(frame.get("shift", 0.0)), None if y is None else float(y)
            )
        )
    if len(keyframes) < 2:
        raise FigureDataError(f"{slug}: a figure needs at least a start and an end keyframe")
    equipment = []
    for entry in data.get("equipment", []):
        entry = {"kind": entry} if isinstance(entry, str) else entry
        if entry["kind"] not in EQUIPMENT_KINDS:
            raise FigureDataError(f"{slug}: unknown equipment {entry['kind']!r}")
        equipment.append(
            Equipment(entry["kind"], float(entry.get("x", 0.0)), float(entry.get("width", 0.0)), entry.get("side", ""))
        )
    loads = tuple(_load(slug, entry, LOAD_KINDS) for entry in data.get("loads", []))
    tools = tuple(_load(slug, entry, TOOL_KINDS) for entry in data.get("tools", []))
    return Figure(
        slug=slug,
        view=view,
        pose=pose,
        x=float(data.get("x", DEFAULT_X[pose])),
        equipment=tuple(equipment),
        loads=loads,
        tools=tools,
        keyframes=tuple(keyframes),
        moves=tuple(data.get("moves", ())),
        still=tuple(data.get("still", ())),
        says=data.get("says", ""),
    )


def _load(slug: str, entry: dict[str, Any], kinds: tuple[str, ...]) -> Load:
    if entry["kind"] not in kinds or entry["at"] not in (*ATTACH_POINTS, "head"):
        raise FigureDataError(f"{slug}: unknown load or tool {entry}")
    anchor = entry.get("anchor")
    if isinstance(anchor, str):
        if anchor not in ATTACH_POINTS:
            raise FigureDataError(f"{slug}: unknown band anchor {anchor!r}")
        return Load(entry["kind"], entry["at"], anchor)
    return Load(entry["kind"], entry["at"], (float(anchor[0]), float(anchor[1])) if anchor else None)


def figures_from_data(data: dict[str, Any]) -> dict[str, Figure]:
    return {slug: figure_from_dict(slug, entry) for slug, entry in data["figures"].items()}


@lru_cache(maxsize=1)
def default_figures() -> dict[str, Figure]:
    """The shipped figures, by exercise slug."""
    with FIGURES_PATH.open(encoding="utf-8") as handle:
        return figures_from_data(json.load(handle))
