"""An exercise figure as a self-contained, animated SVG (plain string building).

The body is nested groups, one per joint, each turned by CSS keyframes sampled from the figure's
keyframes (eased in Python, linear in CSS, so a band's end follows the hand exactly). The groups'
transform attributes hold the start pose: with `prefers-reduced-motion: reduce` (or a renderer
without CSS animation) the figure stands still in its start pose. The movement is said in words in
<title> and <desc> (and in the page's alt text, from `alt_text`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from html import escape

from planner.figures.equipment import equipment_shapes
from planner.figures.library import Figure, Keyframe
from planner.figures.pose import JOINTS, Node, frames
from planner.figures.scene import (
    ATTACHMENTS,
    BOX_HEIGHT,
    BOX_WIDTH,
    STYLES,
    Shape,
    absolute_shapes,
    attached_shapes,
    band_anchors,
    band_line,
    body_shapes,
    posed_nodes,
    shown_protected,
)
from planner.figures.words import alt_text

HOLD = 0.35  # share of each step the figure rests in a keyframe
STEP_SECONDS = 2.4
SAMPLES = 8  # eased samples per move


def interpolate(a: Keyframe, b: Keyframe, share: float) -> Keyframe:
    """The pose `share` (0..1) of the way from `a` to `b`, joint by joint."""
    angles = {joint: a.angles[joint] + (b.angles[joint] - a.angles[joint]) * share for joint in JOINTS}
    return Keyframe(angles, a.lift + (b.lift - a.lift) * share, a.shift + (b.shift - a.shift) * share)


def _ease(share: float) -> float:
    return 0.5 - 0.5 * math.cos(math.pi * share)


def timeline(figure: Figure) -> list[tuple[float, Keyframe]]:
    """(percent of the loop, pose) stops: each keyframe held a while, then eased into the next; the
    loop ends back in the start pose."""
    frames = list(figure.keyframes)
    steps = len(frames)
    stops: list[tuple[float, Keyframe]] = []
    for index, frame in enumerate(frames):
        start = 100.0 * index / steps
        following = frames[(index + 1) % steps]
        stops.append((start, frame))
        move_from = start + 100.0 * HOLD / steps
        stops.append((move_from, frame))
        for sample in range(1, SAMPLES + 1):
            share = sample / SAMPLES
            at = move_from + (100.0 / steps - 100.0 * HOLD / steps) * share
            stops.append((at, interpolate(frame, following, _ease(share))))
    return stops


def _n(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _shape_svg(shape: Shape) -> str:
    c = [_n(v) for v in shape.coords]
    region = f' data-region="{shape.region}"' if shape.region else ""
    css = f'class="{shape.style}"{region}'
    if shape.kind == "line":
        return f'<line {css} x1="{c[0]}" y1="{c[1]}" x2="{c[2]}" y2="{c[3]}" stroke-width="{_n(shape.width)}"/>'
    if shape.kind == "circle":
        width = f' stroke-width="{_n(shape.width)}"' if shape.width else ""
        return f'<circle {css} cx="{c[0]}" cy="{c[1]}" r="{c[2]}"{width}/>'
    if shape.kind == "rect":
        return f'<rect {css} x="{c[0]}" y="{c[1]}" width="{c[2]}" height="{c[3]}"/>'
    points = " ".join(f"{c[i]},{c[i + 1]}" for i in range(0, len(c), 2))
    return f'<polyline {css} points="{points}" stroke-width="{_n(shape.width)}"/>'


def _css(slug: str, duration: float, animations: list[tuple[str, list[tuple[float, str]]]]) -> str:
    # Scoped to this figure (its class and keyframe names carry the slug), so several figures can share a
    # document without taking each other's motion or colouring the page around them.
    scope = f'svg[data-exercise="{slug}"]'
    rules = [
        f"{scope} .{name}{{fill:{style['fill']};stroke:{style['stroke']};stroke-linecap:round"
        + (f";opacity:{style['opacity']}" if "opacity" in style else "")
        + "}"
        for name, style in STYLES.items()
    ]
    for index, (name, stops) in enumerate(animations):
        rules.append(f".{name}{{animation:{slug}-k{index} {_n(duration)}s linear infinite}}")
        body = "".join(f"{_n(at)}%{{{value}}}" for at, value in stops)
        rules.append(f"@keyframes {slug}-k{index}{{{body}}}")
    rules.append("@media (prefers-reduced-motion:reduce){*{animation:none!important}}")
    return "".join(rules)


def render_svg(figure: Figure, name: str, movement: str, protected: Iterable[str] = ()) -> str:
    """The figure of one exercise as an SVG document; `protected` regions are highlighted and carry
    no weight or band."""
    protected = tuple(protected)
    stops = timeline(figure)
    posed = [(at, {node.name: node for node in posed_nodes(figure, frame)}) for at, frame in stops]
    start = posed[0][1]
    start_nodes = posed_nodes(figure, figure.keyframes[0])
    shapes_by_node: dict[str, list[Shape]] = {}
    for shape in body_shapes(figure, protected) + attached_shapes(figure, protected):
        shapes_by_node.setdefault(shape.node or "", []).append(shape)
    children: dict[str, list[str]] = {}
    for node in start_nodes:
        if node.parent:
            children.setdefault(node.parent, []).append(node.name)

    animations: list[tuple[str, list[tuple[float, str]]]] = []

    def transform(node: Node, css: bool) -> str:
        x, y, turn = _n(node.offset[0]), _n(node.offset[1]), _n(node.rotation)
        return f"translate({x}px,{y}px) rotate({turn}deg)" if css else f"translate({x} {y}) rotate({turn})"

    def group(node_name: str) -> str:
        values = [(at, "transform:" + transform(nodes[node_name], css=True)) for at, nodes in posed]
        css_class = ""
        if len({value for _, value in values}) > 1:
            name = f"{figure.slug}-m{len(animations)}"
            css_class = f' class="{name}"'
            animations.append((name, [*values, (100.0, values[0][1])]))
        far_first = sorted(children.get(node_name, []), key=lambda child: 0 if child.endswith("_l") else 1)
        behind = [group(child) for child in far_first if child.endswith("_l") and figure.view == "side"]
        ahead = [group(child) for child in far_first if not (child.endswith("_l") and figure.view == "side")]
        own = [_shape_svg(shape) for shape in shapes_by_node.get(node_name, [])]
        return (
            f'<g transform="{transform(start[node_name], css=False)}"{css_class}>'
            + "".join(behind + own + ahead)
            + "</g>"
        )

    still = "".join(_shape_svg(shape) for shape in equipment_shapes(figure))
    body = group("pelvis")
    bands = []
    for load in band_anchors(figure, protected):
        regions = ATTACHMENTS[load.at][2]
        paths = []
        for at, frame in stops:
            x1, y1, x2, y2 = band_line(load, frames(posed_nodes(figure, frame)))
            paths.append((at, f"M{_n(x1)} {_n(y1)}L{_n(x2)} {_n(y2)}"))
        css_class = ""
        if len({p for _, p in paths}) > 1:
            css_class = f" {figure.slug}-m{len(animations)}"
            animations.append((css_class.strip(), [(at, f'd:path("{p}")') for at, p in [*paths, (100.0, paths[0][1])]]))
        bands.append(f'<path class="band{css_class}" data-region="{regions[0]}" d="{paths[0][1]}" stroke-width="1.6"/>')
    words = alt_text(figure, name, movement, protected)
    duration = STEP_SECONDS * len(figure.keyframes)
    marked = " ".join(sorted(shown_protected(protected)))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(BOX_WIDTH)} {_n(BOX_HEIGHT)}" '
        f'role="img" aria-label="{escape(words)}" data-exercise="{figure.slug}" data-protected="{marked}">'
        f"<title>{escape(name)}</title><desc>{escape(words)}</desc>"
        f"<style>{_css(figure.slug, duration, animations)}</style>"
        f"{still}{body}{''.join(bands)}</svg>"
    )


def still_svg(figure: Figure, keyframe: int = 0, protected: Iterable[str] = ()) -> str:
    """One keyframe as a still SVG in box coordinates (for checking figures by eye)."""
    shapes = absolute_shapes(figure, figure.keyframes[keyframe], protected)
    css = "".join(
        f".{name}{{fill:{style['fill']};stroke:{style['stroke']};stroke-linecap:round"
        + (f";opacity:{style['opacity']}" if "opacity" in style else "")
        + "}"
        for name, style in STYLES.items()
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(BOX_WIDTH)} {_n(BOX_HEIGHT)}">'
        f"<style>{css}</style>{''.join(_shape_svg(shape) for shape in shapes)}</svg>"
    )
