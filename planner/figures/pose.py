"""A small human figure posed by joint angles, and its forward kinematics in 2-D.

The figure is a tree of joints ("nodes"). Each node sits at a fixed offset in its parent's frame
and turns by an angle that follows from the joint angles of a pose; each bone is drawn in its
node's frame from (0, 0) along local +y. The same tree gives absolute points (for tests, the PDF
and bounding boxes) and nested SVG groups (for the animation): one model, two drawings.

Coordinates are SVG's: x to the right, y down, units of the 160 x 120 figure box. Rotations are
SVG's too (degrees, clockwise on screen).

Joint angles (degrees; 0 is standing upright with arms by the sides, facing right in a side view):
  trunk       lean of the trunk: + forward (side view) or to the viewer's right (front view);
              -90 is lying on the back, +90 lying face down.
  neck        head nodding forward (+) or back (-); in a front view, tipping to the viewer's right.
  head_turn   turning the head to look aside (only moves the face mark).
  hip_r/l     hip flexion (+ forward, - behind); in a front view, abduction (out to the side).
  knee_r/l    knee flexion (heel towards the buttock); in a front view the shin turns back towards
              the midline (a bent knee seen from the front or, lying on the side, from the feet).
  ankle_r/l   ankle dorsiflexion (+ toes up) or plantarflexion (- on tiptoe). Side views only.
  shoulder_r/l  shoulder flexion (+ forward and up, 180 overhead, - behind); in a front view,
              abduction (out to the side).
  elbow_r/l   elbow flexion. wrist_r/l: wrist extension (+ back of the hand up).
  breath      how far the belly rises (0 to 1), for breathing exercises.
In a side view the right limbs are nearest the viewer.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

JOINTS = (
    "trunk",
    "neck",
    "head_turn",
    "hip_r",
    "hip_l",
    "knee_r",
    "knee_l",
    "ankle_r",
    "ankle_l",
    "shoulder_r",
    "shoulder_l",
    "elbow_r",
    "elbow_l",
    "wrist_r",
    "wrist_l",
    "breath",
)

# Bone lengths in figure units: a standing figure is about 86 units tall.
TRUNK = 28.0
NECK = 3.0
HEAD_RADIUS = 6.0
UPPER_ARM = 15.0
FOREARM = 13.0
HAND = 4.0
THIGH = 22.0
SHIN = 21.0
HEEL = 2.0
TOE = 7.0
SHOULDER_DROP = 2.0  # the shoulder joint sits a little below the top of the trunk
FRONT_SHOULDER_HALF = 7.0  # half the shoulder width, front view
FRONT_HIP_HALF = 4.0


@dataclass(frozen=True)
class Bone:
    """A drawn body part: a thick line from `start` to `end` in its node's frame.

    region: the body region it belongs to (planner.vocabulary.BODY_REGIONS); side: "r", "l" or "" (far
    limbs are drawn paler in a side view); width: line thickness.
    """

    name: str
    node: str
    start: tuple[float, float]
    end: tuple[float, float]
    width: float
    region: str
    side: str = ""


@dataclass(frozen=True)
class Node:
    """A joint: its parent, where it sits in the parent's frame, and its rotation (SVG degrees)."""

    name: str
    parent: str | None
    offset: tuple[float, float]
    rotation: float


def _side_rotations(a: Mapping[str, float]) -> dict[str, float]:
    """Node rotations of a side view from joint angles (derivation: module docstring conventions)."""
    rot = {"pelvis": a["trunk"], "trunk": -180.0, "neck": a["neck"]}
    for s in ("r", "l"):
        rot[f"hip_{s}"] = -a[f"hip_{s}"]
        rot[f"knee_{s}"] = a[f"knee_{s}"]
        rot[f"ankle_{s}"] = -(90.0 + a[f"ankle_{s}"])
        rot[f"shoulder_{s}"] = 180.0 - a[f"shoulder_{s}"]
        rot[f"elbow_{s}"] = -a[f"elbow_{s}"]
        rot[f"wrist_{s}"] = -a[f"wrist_{s}"]
    return rot


def _front_rotations(a: Mapping[str, float]) -> dict[str, float]:
    """Node rotations of a front view: the figure's right side is on the viewer's left."""
    rot = {"pelvis": a["trunk"], "trunk": -180.0, "neck": a["neck"]}
    for s, sign in (("r", 1.0), ("l", -1.0)):
        rot[f"hip_{s}"] = sign * a[f"hip_{s}"]
        rot[f"knee_{s}"] = -sign * a[f"knee_{s}"]
        rot[f"ankle_{s}"] = sign * 90.0
        rot[f"shoulder_{s}"] = 180.0 + sign * a[f"shoulder_{s}"]
        rot[f"elbow_{s}"] = -sign * a[f"elbow_{s}"]
        rot[f"wrist_{s}"] = -sign * a[f"wrist_{s}"]
    return rot


def skeleton(view: str, angles: Mapping[str, float], root: tuple[float, float], thigh: float = THIGH) -> list[Node]:
    """The nodes of a figure in `view` ("side" or "front") posed by `angles`, pelvis at `root`;
    `thigh`: the drawn thigh length (short when a seated figure is seen from the front)."""
    rot = _side_rotations(angles) if view == "side" else _front_rotations(angles)
    front = view == "front"
    shoulder_y = TRUNK - SHOULDER_DROP
    nodes = [
        Node("pelvis", None, root, rot["pelvis"]),
        Node("trunk", "pelvis", (0.0, 0.0), rot["trunk"]),
        Node("neck", "trunk", (0.0, TRUNK), rot["neck"]),
    ]
    for s, sign in (("r", 1.0), ("l", -1.0)):
        # In the trunk's frame (turned 180 degrees when upright) +x is the figure's right.
        nodes += [
            Node(
                f"shoulder_{s}",
                "trunk",
                (sign * FRONT_SHOULDER_HALF if front else 0.0, shoulder_y),
                rot[f"shoulder_{s}"],
            ),
            Node(f"elbow_{s}", f"shoulder_{s}", (0.0, UPPER_ARM), rot[f"elbow_{s}"]),
            Node(f"wrist_{s}", f"elbow_{s}", (0.0, FOREARM), rot[f"wrist_{s}"]),
            Node(f"hip_{s}", "pelvis", (-sign * FRONT_HIP_HALF if front else 0.0, 0.0), rot[f"hip_{s}"]),
            Node(f"knee_{s}", f"hip_{s}", (0.0, thigh), rot[f"knee_{s}"]),
            Node(f"ankle_{s}", f"knee_{s}", (0.0, SHIN), rot[f"ankle_{s}"]),
        ]
    return nodes


def bones(view: str, thigh: float = THIGH) -> list[Bone]:
    """The drawn parts, far side first so the near side is drawn over it."""
    side_regions = {"r": "right", "l": "left"}
    parts: list[Bone] = []
    for s in ("l", "r"):
        side = side_regions[s]
        foot_start, foot_end = ((0.0, -HEEL), (0.0, TOE)) if view == "side" else ((0.0, 0.0), (0.0, 4.0))
        parts += [
            Bone(f"thigh_{s}", f"hip_{s}", (0.0, 0.0), (0.0, thigh), 5.5, f"thigh_{side}", s),
            Bone(f"shin_{s}", f"knee_{s}", (0.0, 0.0), (0.0, SHIN), 4.5, f"calf_{side}", s),
            Bone(f"foot_{s}", f"ankle_{s}", foot_start, foot_end, 3.5, f"ankle_foot_{side}", s),
        ]
        if s == "l":
            parts += _arm(s, side)
    parts += [
        Bone("trunk_lower", "trunk", (0.0, 0.0), (0.0, TRUNK / 2), 10.0, "lower_back"),
        Bone("trunk_upper", "trunk", (0.0, TRUNK / 2), (0.0, TRUNK), 10.0, "upper_back"),
        Bone("neck", "neck", (0.0, 0.0), (0.0, NECK + 1.0), 4.0, "neck"),
    ]
    parts += _arm("r", "right")
    return parts


def _arm(s: str, side: str) -> list[Bone]:
    return [
        Bone(f"upper_arm_{s}", f"shoulder_{s}", (0.0, 0.0), (0.0, UPPER_ARM), 4.0, f"shoulder_{side}", s),
        Bone(f"forearm_{s}", f"elbow_{s}", (0.0, 0.0), (0.0, FOREARM), 3.5, f"elbow_{side}", s),
        Bone(f"hand_{s}", f"wrist_{s}", (0.0, 0.0), (0.0, HAND), 3.5, f"wrist_hand_{side}", s),
    ]


# The head is a circle on the neck node; the face mark shows which way the figure looks.
HEAD_CENTRE = (0.0, NECK + HEAD_RADIUS)


@dataclass(frozen=True)
class Frame:
    """A 2-D affine transform (a, b, c, d, e, f) as in SVG's matrix()."""

    a: float = 1.0
    b: float = 0.0
    c: float = 0.0
    d: float = 1.0
    e: float = 0.0
    f: float = 0.0

    def then(self, offset: tuple[float, float], rotation: float) -> Frame:
        """This frame followed by translate(offset) rotate(rotation)."""
        ox, oy = offset
        e = self.a * ox + self.c * oy + self.e
        f = self.b * ox + self.d * oy + self.f
        cos, sin = math.cos(math.radians(rotation)), math.sin(math.radians(rotation))
        return Frame(
            self.a * cos + self.c * sin,
            self.b * cos + self.d * sin,
            -self.a * sin + self.c * cos,
            -self.b * sin + self.d * cos,
            e,
            f,
        )

    def apply(self, point: tuple[float, float]) -> tuple[float, float]:
        x, y = point
        return (self.a * x + self.c * y + self.e, self.b * x + self.d * y + self.f)


def frames(nodes: list[Node]) -> dict[str, Frame]:
    """The absolute frame of every node (parents come before their children in `nodes`)."""
    out: dict[str, Frame] = {}
    for node in nodes:
        parent = out[node.parent] if node.parent else Frame()
        out[node.name] = parent.then(node.offset, node.rotation)
    return out


SHORT_THIGH = 5.0


def thigh_length(pose: str) -> float:
    return SHORT_THIGH if pose == "sit_front" else THIGH
