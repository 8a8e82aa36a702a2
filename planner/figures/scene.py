"""What a figure draws: posed body parts, protected regions, loads, tools and equipment as shapes.

Shapes are plain values (lines, circles, rectangles, paths) with a style class; the SVG and the
reportlab drawings only turn them into their own primitives. Body shapes are given in the frame of
the node that moves them (so the SVG can animate the node); `absolute_shapes` places everything for
one pose (the PDF, the tests and the bounding-box check use that).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace

from planner.figures.equipment import equipment_shapes, seat_top, support_top
from planner.figures.library import Figure, Keyframe, Load
from planner.figures.pose import (
    HAND,
    HEAD_CENTRE,
    HEAD_RADIUS,
    NECK,
    SHIN,
    TRUNK,
    Bone,
    Frame,
    Node,
    bones,
    frames,
    skeleton,
    thigh_length,
)
from planner.regions import default_region_map

BOX_WIDTH = 160.0
BOX_HEIGHT = 120.0


@dataclass(frozen=True)
class Shape:
    """kind: "line" (x1, y1, x2, y2), "circle" (cx, cy, r), "rect" (x, y, w, h) or "path" (points,
    joined by straight lines). node: the body node whose frame the coordinates are in (None: the box).
    style: a class of STYLES. region: the body region it stands for ("" for equipment)."""

    kind: str
    coords: tuple[float, ...]
    style: str
    width: float = 0.0
    node: str | None = None
    region: str = ""


# What each style looks like (colour, fill, opacity); the SVG's CSS and the PDF read the same table.
STYLES: dict[str, dict[str, str | float]] = {
    "near": {"stroke": "#24384c", "fill": "none"},
    "far": {"stroke": "#8496a9", "fill": "none"},
    "head": {"stroke": "#24384c", "fill": "#24384c"},
    "face": {"stroke": "none", "fill": "#ffffff"},
    "protected": {"stroke": "#e8590c", "fill": "none", "opacity": 0.45},
    "protected-dot": {"stroke": "#e8590c", "fill": "#e8590c", "opacity": 0.45},
    "load": {"stroke": "#343a40", "fill": "#343a40"},
    "band": {"stroke": "#2f9e44", "fill": "none"},
    "tool": {"stroke": "#868e96", "fill": "none"},
    "equip": {"stroke": "#adb5bd", "fill": "#e9ecef"},
    "equip-line": {"stroke": "#adb5bd", "fill": "none"},
    "water": {"stroke": "#74c0fc", "fill": "#d0ebff", "opacity": 0.6},
    "floor": {"stroke": "#ced4da", "fill": "none"},
}

# Regions a joint circle stands for, at a node's origin (offset in the node's frame).
JOINT_REGIONS = {
    "hip_right": ("hip_r", (0.0, 0.0), 5.0),
    "hip_left": ("hip_l", (0.0, 0.0), 5.0),
    "knee_right": ("knee_r", (0.0, 0.0), 4.5),
    "knee_left": ("knee_l", (0.0, 0.0), 4.5),
    "gluteal_right": ("pelvis", (-4.0, 2.0), 5.0),
    "gluteal_left": ("pelvis", (-4.0, 2.0), 5.0),
    "chest": ("trunk", (-4.0, TRUNK * 0.7), 5.0),
    "abdomen": ("trunk", (-4.0, TRUNK * 0.3), 5.0),
}

# Where a load or tool hangs and which regions carry it (a weight in the hand loads the wrist, the
# elbow and the shoulder; a cuff at the ankle loads the whole leg).
ATTACHMENTS = {
    "hand_r": ("wrist_r", (0.0, HAND), ("wrist_hand_right", "elbow_right", "shoulder_right")),
    "hand_l": ("wrist_l", (0.0, HAND), ("wrist_hand_left", "elbow_left", "shoulder_left")),
    "ankle_r": (
        "knee_r",
        (0.0, SHIN - 2.5),
        ("ankle_foot_right", "calf_right", "knee_right", "thigh_right", "hip_right"),
    ),
    "ankle_l": ("knee_l", (0.0, SHIN - 2.5), ("ankle_foot_left", "calf_left", "knee_left", "thigh_left", "hip_left")),
    "head": ("neck", (-HEAD_RADIUS, NECK + HEAD_RADIUS - 1.0), ("neck",)),
}

# Parts that rest on a seat rather than on the floor (or bed, or mat) when the figure sits.
SEATED_BONES = ("trunk_lower",)
ALL_PARTS = ("head", *(bone.name for bone in bones("side")))


def shown_protected(protected: Iterable[str]) -> frozenset[str]:
    """The drawn regions a protected set covers: a region, the regions it lies in and its landmarks."""
    protected = frozenset(protected)
    if not protected:
        return frozenset()
    anatomy = default_region_map()
    drawn = {bone.region for bone in bones("side")} | set(JOINT_REGIONS)
    return frozenset(region for region in drawn if anatomy.overlap.get(region, frozenset({region})) & protected)


def load_is_shown(load: Load, protected: Iterable[str]) -> bool:
    """A load is drawn only when no region that carries it is protected."""
    return not (set(ATTACHMENTS[load.at][2]) & shown_protected(protected))


def body_shapes(figure: Figure, protected: Iterable[str] = ()) -> list[Shape]:
    """The body in node frames: protected halos under the parts they mark, far limbs paler."""
    marked = shown_protected(protected)
    side_view = figure.view == "side"
    shapes: list[Shape] = []
    for bone in bones(figure.view, thigh_length(figure.pose)):
        coords = (*bone.start, *bone.end)
        if bone.region in marked:
            shapes.append(Shape("line", coords, "protected", bone.width + 6.0, bone.node, bone.region))
        style = "far" if side_view and bone.side == "l" else "near"
        shapes.append(Shape("line", coords, style, bone.width, bone.node, bone.region))
    for region, (node, (x, y), radius) in JOINT_REGIONS.items():
        if region in marked:
            shapes.append(Shape("circle", (x, y, radius), "protected-dot", 0.0, node, region))
    head_x, head_y = HEAD_CENTRE
    if "neck" in marked:
        shapes.append(Shape("circle", (head_x, head_y, HEAD_RADIUS + 3.0), "protected-dot", 0.0, "neck", "neck"))
    shapes.append(Shape("circle", (head_x, head_y, HEAD_RADIUS), "head", 0.0, "neck", "neck"))
    face = (-HEAD_RADIUS * 0.55, head_y + 1.5) if side_view else (0.0, head_y)
    shapes.append(Shape("circle", (*face, 1.3), "face", 0.0, "face", "neck"))
    if figure.keyframes and any(frame.angles["breath"] for frame in figure.keyframes):
        shapes.append(Shape("circle", (-3.5, TRUNK * 0.3, 3.5), "head", 0.0, "belly", "abdomen"))
    return shapes


def attached_shapes(figure: Figure, protected: Iterable[str] = ()) -> list[Shape]:
    """Weights and tools in the frame of the node that carries them; loads on protected regions are left out."""
    shapes: list[Shape] = []
    for load in figure.loads:
        if load.anchor is not None or not load_is_shown(load, protected):
            continue
        node, (x, y), regions = ATTACHMENTS[load.at]
        region = regions[0]
        if load.kind == "dumbbell":
            shapes += [
                Shape("line", (x - 4.0, y + 1.0, x + 4.0, y + 1.0), "load", 1.6, node, region),
                Shape("rect", (x - 5.5, y - 1.5, 2.5, 5.0), "load", 0.0, node, region),
                Shape("rect", (x + 3.0, y - 1.5, 2.5, 5.0), "load", 0.0, node, region),
            ]
        else:  # a cuff weight round the ankle or wrist
            shapes.append(Shape("rect", (x - 3.5, y - 2.5, 7.0, 5.0), "load", 0.0, node, region))
    for tool in figure.tools:
        node, (x, y), regions = ATTACHMENTS[tool.at]
        if tool.kind == "pole":
            shapes.append(Shape("line", (x, y - 2.0, x, y + 40.0), "tool", 1.4, node, ""))
        elif tool.kind == "trainer":
            shapes.append(Shape("line", (x, y, x - 6.0, y), "tool", 3.0, node, ""))
    return shapes


def band_anchors(figure: Figure, protected: Iterable[str] = ()) -> list[Load]:
    """The bands and cables shown (a band held by two hands or hand and foot loads both)."""
    shown = []
    for load in figure.loads:
        if load.anchor is None or not load_is_shown(load, protected):
            continue
        if isinstance(load.anchor, str) and not load_is_shown(Load(load.kind, load.anchor), protected):
            continue
        shown.append(load)
    return shown


def band_line(load: Load, placed: dict[str, Frame]) -> tuple[float, float, float, float]:
    """Where a band runs in one pose: from its anchor to the hand or foot pulling it."""
    node, offset, _ = ATTACHMENTS[load.at]
    end = placed[node].apply(offset)
    if isinstance(load.anchor, str):
        anchor_node, anchor_offset, _ = ATTACHMENTS[load.anchor]
        start = placed[anchor_node].apply(anchor_offset)
    else:
        assert load.anchor is not None  # band_anchors passes only loads fixed somewhere
        start = load.anchor
    return (*start, *end)


def root_for(figure: Figure, keyframe: Keyframe) -> tuple[float, float]:
    """Where the pelvis goes so the body rests on what holds it up: no part below the floor (or the
    bed or mat it lies on), and a seated figure's pelvis on its seat. The first surface the body
    touches holds it (a figure rising from a chair stands on its feet), then `lift` raises it."""
    x = figure.x + keyframe.shift
    if keyframe.y is not None:
        return (x, keyframe.y)
    trial = frames(skeleton(figure.view, keyframe.angles, (x, 0.0), thigh_length(figure.pose)))
    parts = {bone.name: bone for bone in bones(figure.view, thigh_length(figure.pose))}
    y = support_top(figure) - max(_lowest(trial, parts, name) for name in ALL_PARTS)
    if figure.pose in ("sit", "sit_front"):
        y = min(y, seat_top(figure) - max(_lowest(trial, parts, name) for name in SEATED_BONES))
    return (x, y - keyframe.lift)


def _lowest(placed: dict[str, Frame], parts: dict[str, Bone], bone_name: str) -> float:
    if bone_name == "head":
        centre = placed["neck"].apply(HEAD_CENTRE)
        return centre[1] + HEAD_RADIUS
    bone = parts[bone_name]
    frame = placed[bone.node]
    return max(frame.apply(bone.start)[1], frame.apply(bone.end)[1]) + bone.width / 2


def posed_nodes(figure: Figure, keyframe: Keyframe) -> list[Node]:
    """The figure's nodes in `keyframe`, resting on its support, plus the face and belly marks."""
    nodes = skeleton(figure.view, keyframe.angles, root_for(figure, keyframe), thigh_length(figure.pose))
    turn = keyframe.angles["head_turn"]
    # Seen from the front the face mark slides aside; from the side it slides towards the middle.
    face_shift = (
        (HEAD_RADIUS * 0.6 * _sin(turn), 0.0) if figure.view == "front" else (HEAD_RADIUS * 0.5 * abs(_sin(turn)), 0.0)
    )
    belly_shift = (0.0, 0.0) if figure.view == "front" else (3.0 * keyframe.angles["breath"], 0.0)
    # In the trunk's frame, upright, world "forward" (+x) is local -x.
    belly_shift = (-belly_shift[0], 0.0)
    return [*nodes, Node("face", "neck", face_shift, 0.0), Node("belly", "trunk", belly_shift, 0.0)]


def _sin(degrees: float) -> float:
    return math.sin(math.radians(degrees))


def absolute_shapes(figure: Figure, keyframe: Keyframe, protected: Iterable[str] = ()) -> list[Shape]:
    """Every shape of the figure in `keyframe`, in box coordinates, in drawing order."""
    placed = frames(posed_nodes(figure, keyframe))
    shapes = list(equipment_shapes(figure))
    for shape in body_shapes(figure, protected) + attached_shapes(figure, protected):
        assert shape.node is not None  # body and attached shapes are drawn in a node's frame
        shapes.append(place(shape, placed[shape.node]))
    for load in band_anchors(figure, protected):
        shapes.append(Shape("line", band_line(load, placed), "band", 1.6, None, ATTACHMENTS[load.at][2][0]))
    return shapes


def place(shape: Shape, frame: Frame) -> Shape:
    """`shape` moved from its node's frame into box coordinates."""
    if shape.kind == "line":
        x1, y1 = frame.apply(_point(shape.coords, 0))
        x2, y2 = frame.apply(_point(shape.coords, 2))
        return replace(shape, coords=(x1, y1, x2, y2), node=None)
    if shape.kind == "circle":
        cx, cy = frame.apply(_point(shape.coords, 0))
        return replace(shape, coords=(cx, cy, shape.coords[2]), node=None)
    if shape.kind == "rect":  # a small weight: placed as a circle-ish box around its centre
        x, y, w, h = shape.coords
        cx, cy = frame.apply((x + w / 2, y + h / 2))
        return replace(shape, coords=(cx - w / 2, cy - h / 2, w, h), node=None)
    points = [frame.apply(_point(shape.coords, i)) for i in range(0, len(shape.coords), 2)]
    return replace(shape, coords=tuple(v for point in points for v in point), node=None)


def _point(coords: tuple[float, ...], start: int) -> tuple[float, float]:
    """The (x, y) pair at `start` of a flat coordinate tuple."""
    return (coords[start], coords[start + 1])


def extent(shape: Shape) -> tuple[float, float, float, float]:
    """(min x, min y, max x, max y) of an absolute shape, line widths included."""
    c = shape.coords
    if shape.kind == "circle":
        return (c[0] - c[2], c[1] - c[2], c[0] + c[2], c[1] + c[2])
    if shape.kind == "rect":
        return (c[0], c[1], c[0] + c[2], c[1] + c[3])
    xs, ys = c[0::2], c[1::2]
    half = shape.width / 2
    return (min(xs) - half, min(ys) - half, max(xs) + half, max(ys) + half)
