"""The exercise figures (planner/figures, planner/data/figures.json): one per library exercise, inside
its box in every pose, moving the joints the exercise trains, never loading a protected region."""

import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.catalogue import load_default_catalogue
from planner.figures.library import FigureDataError, default_figures, figure_from_dict
from planner.figures.scene import ATTACHMENTS, BOX_HEIGHT, BOX_WIDTH, absolute_shapes, extent, shown_protected
from planner.figures.svg import render_svg, timeline
from planner.regions import default_region_map
from planner.vocabulary import BODY_REGIONS

CATALOGUE = {spec.slug: spec for spec in load_default_catalogue()}
FIGURES = default_figures()
SVG = "{http://www.w3.org/2000/svg}"

# The joints whose movement shows each muscle group working (pose.py names the joints).
MUSCLE_JOINTS = {
    "hip_flexors": {"hip"},
    "gluteus_maximus": {"hip"},
    "gluteus_medius": {"hip"},
    "hip_rotators": {"hip"},
    "hip_adductors": {"hip"},
    "hamstrings": {"hip", "knee"},
    "quadriceps": {"knee", "hip"},
    "calves": {"ankle", "knee"},
    "ankle_dorsiflexors": {"ankle"},
    "deltoids": {"shoulder"},
    "rotator_cuff": {"shoulder"},
    "chest": {"shoulder"},
    "upper_back": {"shoulder", "neck"},  # the upper trapezius also tips the head
    "biceps": {"elbow", "shoulder"},
    "triceps": {"elbow", "shoulder"},
    "wrist_flexors": {"wrist"},
    "wrist_extensors": {"wrist"},
    "abdominals": {"trunk", "hip"},
    "spinal_extensors": {"trunk", "hip", "neck"},
    "neck_flexors": {"neck"},
    "neck_side_flexors": {"neck"},
    "neck_rotators": {"head_turn"},
    "respiratory_muscles": {"breath"},
}


def _moving_kinds(figure) -> set[str]:
    """Joint kinds ("hip", "knee" ...) that move; a jump (the body lifted off the floor) works the legs."""
    kinds = {joint.removesuffix("_r").removesuffix("_l") for joint in figure.moving_joints()}
    lifts = [frame.lift for frame in figure.keyframes]
    if max(lifts) - min(lifts) >= 3.0:
        kinds |= {"hip", "knee", "ankle"}
    return kinds


def test_every_library_exercise_has_a_figure_and_every_figure_an_exercise():
    assert set(FIGURES) == set(CATALOGUE)
    assert all(len(figure.keyframes) >= 2 for figure in FIGURES.values())


@pytest.mark.parametrize("slug", sorted(FIGURES))
def test_the_figure_stays_inside_its_box_in_every_pose(slug):
    figure = FIGURES[slug]
    # Every keyframe and every eased step the animation passes through.
    for _, pose in timeline(figure):
        for shape in absolute_shapes(figure, pose, BODY_REGIONS):
            x0, y0, x1, y1 = extent(shape)
            assert min(x0, y0) >= 0, (slug, shape)
            assert x1 <= BOX_WIDTH, (slug, shape)
            assert y1 <= BOX_HEIGHT, (slug, shape)


@pytest.mark.parametrize("slug", sorted(FIGURES))
def test_the_joints_the_exercise_trains_move_between_keyframes(slug):
    figure, spec = FIGURES[slug], CATALOGUE[slug]
    assert set(figure.moves) == set(figure.moving_joints()), "'moves' in figures.json is out of date"
    assert set(figure.still) <= set(spec.muscle_groups)
    moving = _moving_kinds(figure)
    for muscle in spec.muscle_groups:
        if muscle not in figure.still:
            assert MUSCLE_JOINTS[muscle] & moving, f"{slug}: nothing {muscle} moves is moving"
    # Even an exercise held still shows how to get into position.
    assert moving


def test_a_figure_with_a_single_pose_or_an_unknown_joint_is_refused():
    with pytest.raises(FigureDataError):
        figure_from_dict("x", {"frames": [{}]})
    with pytest.raises(FigureDataError):
        figure_from_dict("x", {"frames": [{}, {"tail": 10}]})


def _carrying_regions(load) -> set[str]:
    regions = set(ATTACHMENTS[load.at][2])
    if isinstance(load.anchor, str):
        regions |= set(ATTACHMENTS[load.anchor][2])
    return regions


@settings(max_examples=150, deadline=None)
@given(
    slug=st.sampled_from(sorted(FIGURES)),
    protected=st.sets(st.sampled_from(BODY_REGIONS), max_size=6),
)
def test_a_protected_region_is_marked_and_never_shown_loaded(slug, protected):
    figure, spec = FIGURES[slug], CATALOGUE[slug]
    root = ET.fromstring(render_svg(figure, spec.name, spec.instructions.movement, protected))
    anatomy = default_region_map()
    # Independently of the renderer: the regions the protected set covers (a region, the regions it
    # lies in, the landmarks in it) and so the weights and bands that may be drawn.
    covered = {region for region in BODY_REGIONS if anatomy.overlap.get(region, frozenset({region})) & protected}
    allowed = {ATTACHMENTS[load.at][2][0] for load in figure.loads if not _carrying_regions(load) & covered}
    elements = list(root.iter())
    loaded = {el.get("data-region") for el in elements if el.get("class", "").split(" ")[0] in ("load", "band")}
    assert not loaded & covered
    assert loaded == allowed
    marked = {el.get("data-region") for el in elements if el.get("class") in ("protected", "protected-dot")}
    assert marked == set(shown_protected(protected))
    assert marked <= covered | set(protected)
    if marked:
        assert "Marked in orange" in root.get("aria-label")


def test_an_unprotected_figure_carries_its_weights_and_bands():
    root = ET.fromstring(render_svg(FIGURES["band-arm-raise-side"], "Band", "Raise"))
    bands = [el for el in root.iter() if el.get("class", "").split(" ")[0] == "band"]
    assert len(bands) == 2


def test_the_svg_moves_but_stands_still_for_reduced_motion():
    figure = FIGURES["sit-to-stand"]
    svg = render_svg(figure, "Sit to stand", "Stand up.")
    root = ET.fromstring(svg)
    style = root.find(f"{SVG}style").text
    assert "@keyframes" in style
    assert "@media (prefers-reduced-motion:reduce){*{animation:none!important}}" in style
    # With animation off, the groups' own transforms hold the start pose.
    animated = [el for el in root.iter(f"{SVG}g") if el.get("class", "").startswith("sit-to-stand-m")]
    assert animated
    assert all(el.get("transform") for el in animated)
    assert root.get("role") == "img"
    assert "Stand up." in root.get("aria-label")
