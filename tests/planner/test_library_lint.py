"""The library's declared movement attributes are complete and agree with its words.

A forgotten attribute would let an exercise through a limit that should exclude it, so the shipped
library states every attribute true or false, and the lint (planner.library_lint) reads each
instruction for words that contradict the attributes.
"""

import copy
import json

import pytest

from planner.catalogue import DEFAULT_CATALOGUE_PATH, catalogue_from_dicts, exercise_from_dict
from planner.library_lint import lint_exercise, word_problems
from planner.vocabulary import MOVEMENT_TAGS

LIBRARY = json.loads(DEFAULT_CATALOGUE_PATH.read_text(encoding="utf-8"))


def clean_entry(**overrides):
    """A standing exercise whose words and attributes agree; override what a test needs."""
    entry = {
        "slug": "plain",
        "name": "Plain",
        "component": "resistance",
        "impact": "none",
        "regions_loaded": ["thigh_left", "thigh_right"],
        "pressure_regions": [],
        "stretched_regions": [],
        "equipment": ["none"],
        "position": "standing",
        "attributes": dict.fromkeys(MOVEMENT_TAGS, False),
        "dose_kind": "sets_reps",
        "easier": None,
        "harder": None,
        "instructions": {
            "setup": "Stand tall.",
            "movement": "Bend your knees a little, then stand up.",
            "feel": "Thighs working.",
            "mistakes": "Do not hold your breath.",
        },
        "muscle_groups": ["quadriceps"],
    }
    for key, value in overrides.items():
        if key in MOVEMENT_TAGS:
            entry["attributes"][key] = value
        else:
            entry[key] = value
    return entry


def saying(movement, **attributes):
    entry = clean_entry(**attributes)
    entry["instructions"]["movement"] = movement
    return entry


@pytest.mark.parametrize("entry", LIBRARY, ids=[e["slug"] for e in LIBRARY])
def test_every_library_exercise_passes_the_lint(entry):
    assert lint_exercise(entry) == []


def test_the_clean_entry_passes():
    assert lint_exercise(clean_entry()) == []


@pytest.mark.parametrize("attribute", MOVEMENT_TAGS)
def test_a_missing_attribute_fails_the_lint_and_the_loader(attribute):
    entry = clean_entry()
    del entry["attributes"][attribute]

    assert any(attribute in problem for problem in lint_exercise(entry))
    with pytest.raises(ValueError, match=attribute):
        exercise_from_dict(entry)


def test_an_attribute_that_is_not_true_or_false_fails():
    entry = clean_entry()
    entry["attributes"]["ballistic"] = "no"

    assert lint_exercise(entry)
    with pytest.raises(ValueError):
        exercise_from_dict(entry)


def test_an_unknown_attribute_fails():
    entry = clean_entry()
    entry["attributes"]["cartwheel"] = False

    assert lint_exercise(entry)


def test_an_entry_without_an_attributes_block_fails_the_lint():
    entry = clean_entry()
    del entry["attributes"]
    entry["tags"] = []

    assert lint_exercise(entry) == ["no attributes block: every attribute must be stated true or false"]


def test_every_library_exercise_is_missing_no_attribute():
    for entry in LIBRARY:
        assert set(entry["attributes"]) == set(MOVEMENT_TAGS), entry["slug"]


def test_removing_any_attribute_from_any_library_exercise_is_caught():
    for entry in LIBRARY[::7]:
        for attribute in MOVEMENT_TAGS[::3]:
            broken = copy.deepcopy(entry)
            del broken["attributes"][attribute]
            assert lint_exercise(broken), (entry["slug"], attribute)


# (words in the instructions, the attribute that must then be declared)
CONTRADICTIONS = (
    ("Swing the weight up to chest height.", "swinging"),
    ("Swing your arms as you march.", "swinging"),
    ("Lift the leg as fast as you can.", "rapid"),
    ("Step quickly from side to side.", "rapid"),
    ("Jump up and land softly.", "jumping"),
    ("Hop onto the other foot.", "jumping"),
    ("Jog on the spot.", "running"),
    ("Bounce gently at the bottom.", "ballistic"),
    ("Pick up the dumbbell from the floor.", "floor_lift"),
    ("Lie face down on a mat on the floor.", "floor_transfer"),
    ("Get down onto your hands and knees.", "floor_transfer"),
    ("Stand back up from the floor using the chair.", "floor_to_stand"),
    ("Twist to bring the weight beside your hip.", "spinal_twist"),
    ("Turn your shoulders to look behind you.", "spinal_twist"),
    ("Bend forward and reach towards your toes.", "spinal_flexion"),
    ("Curl up off the mat.", "spinal_flexion"),
    ("Arch your back and look up.", "spinal_extension"),
    ("Lift your head and chest off the mat.", "spinal_extension"),
    ("Reach as far as you can and hold.", "end_range_stretch"),
    ("Hold your breath and push.", "heavy_isometric"),
    ("Push as hard as you can into the wall.", "heavy_isometric"),
    ("Roll the buttock on a foam roller.", "massage_or_heat"),
    ("Press the weights above your head.", "overhead_load"),
    ("Hold the back of a sturdy chair.", "hand_support"),
)


@pytest.mark.parametrize(("words", "attribute"), CONTRADICTIONS)
def test_words_without_their_attribute_fail(words, attribute):
    problems = lint_exercise(saying(words))

    assert problems
    assert any(attribute in problem for problem in problems)


@pytest.mark.parametrize(("words", "attribute"), CONTRADICTIONS)
def test_words_with_their_attribute_pass_the_word_check(words, attribute):
    also = {"prone_loading"} if "face down" in words else set()
    entry = saying(words, **{attribute: True})

    assert word_problems(entry, frozenset({attribute, *also})) == []


@pytest.mark.parametrize(
    "words",
    [
        "Do not swing the weights up.",
        "Do not twist or lean back.",
        "Pick up the dumbbell from a table, not from the floor.",
        "Do not hold your breath.",
        "Do not turn your head quickly.",
        "Do not round your back to reach down.",
        "Stop if you feel a strong stretch.",
    ],
)
def test_negated_words_do_not_count(words):
    assert lint_exercise(saying(words)) == []


def test_jogging_in_deep_water_is_not_running():
    entry = saying("Move your legs as if jogging.", position="in_water", equipment=["pool"])

    assert lint_exercise(entry) == []


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"loaded_spinal_flexion": True}, "without spinal_flexion"),
        ({"end_range_spinal_twist": True}, "without spinal_twist"),
        ({"end_range_spinal_extension": True}, "without spinal_extension"),
        ({"floor_to_stand": True}, "without floor_transfer"),
        ({"direct_pressure": True}, "direct_pressure"),
        ({"pressure_regions": ["gluteal_left"]}, "direct_pressure"),
        ({"position": "prone", "pressure_regions": ["chest"], "direct_pressure": True}, "prone_loading"),
        ({"jumping": True}, "moderate impact"),
        ({"end_range_stretch": True}, "stretched_regions"),
    ],
)
def test_attributes_that_contradict_each_other_fail(overrides, fragment):
    problems = lint_exercise(clean_entry(**overrides))

    assert any(fragment in problem for problem in problems), problems


def test_the_loaded_library_carries_exactly_the_declared_attributes_as_tags():
    specs = catalogue_from_dicts(LIBRARY)

    for entry, spec in zip(LIBRARY, specs, strict=True):
        assert set(spec.tags) == {tag for tag, value in entry["attributes"].items() if value}


def test_tags_and_attributes_that_disagree_are_refused():
    entry = clean_entry(ballistic=True)
    entry["tags"] = []

    with pytest.raises(ValueError, match="disagree"):
        exercise_from_dict(entry)
