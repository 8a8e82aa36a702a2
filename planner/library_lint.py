"""Checks that an exercise's words and its declared attributes agree.

The limits exclude exercises by their attributes (planner/vocabulary.MOVEMENT_TAGS), so an attribute
left out is a silent safety gap: "swing the weight" without `swinging` would reach a patient with
osteoporosis. `lint_exercise(entry)` reads a library entry (the JSON object of
planner/data/exercises.json) and returns one message per problem:

- the "attributes" block is missing, or does not state every attribute true or false;
- the instructions use words that describe an attribute the entry does not declare (a phrase in a
  sentence that negates it before or within the phrase - "Do not swing", "not from the floor" -
  does not count);
- attributes contradict each other or the entry's other fields (an end-range twist that is not a
  twist, lying face down without prone loading, a jump with no impact ...);
- a muscle group outside planner.vocabulary.MUSCLE_GROUPS, a session role outside SESSION_ROLES, or
  an aerobic activity that does not say which intensity class it can reach (an ACSM class name).

Word lists are deliberately plain: a false alarm is fixed by rewording the instruction or declaring
the attribute, both of which a clinician can read and check.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from planner.catalogue import INSTRUCTION_FIELDS, tags_from_attributes
from planner.rules import default_rulebook
from planner.vocabulary import IMPACT_LEVELS, MUSCLE_GROUPS, SESSION_ROLES

# Negation anywhere in the sentence up to the end of the phrase cancels the phrase.
NEGATION = re.compile(
    r"\b(do not|don't|does not|never|not|avoid|without|no|rather than|instead of|stop if|stop the)\b", re.I
)
SENTENCE_END = re.compile(r"[.;!?]")

# (attribute words, attributes any one of which the entry must declare, positions exempt, why)
WORD_RULES: tuple[tuple[str, frozenset[str], frozenset[str]], ...] = (
    (r"\bswing(s|ing)?\b", frozenset({"swinging", "ballistic"}), frozenset()),
    (r"\bas (fast|quickly|high) as\b", frozenset({"rapid", "ballistic"}), frozenset()),
    (r"\b(quick|quickly|quicker|fast|rapid|rapidly|explosive|explosively)\b", frozenset({"rapid"}), frozenset()),
    (
        r"\b(bounce|bounces|bouncing|jerk|jerks|jerking|momentum|throw yourself)\b",
        frozenset({"ballistic"}),
        frozenset(),
    ),
    (r"\b(jump|jumps|jumping|hop|hops|hopping|skip|skips|skipping)\b", frozenset({"jumping"}), frozenset()),
    # Jogging in deep water has no ground contact; "running" is running gait on land.
    (r"\b(jog|jogs|jogging|run|runs|running)\b", frozenset({"running"}), frozenset({"in_water"})),
    (
        r"\b(pick|lift|lower|put|take)\w*\b[^.;]*\b(weight|weights|dumbbell|dumbbells|load|kettlebell|bag|box)\b"
        r"[^.;]*\b(from|to|off|onto|on) the floor\b",
        frozenset({"floor_lift"}),
        frozenset(),
    ),
    (
        r"\b(on a mat on the floor|get down onto|getting down onto|hands and knees|onto one knee|"
        r"(lie|lying|sit|sitting|kneel|kneeling)(\s+\w+){0,2}\s+on (a|the) (mat|floor))\b",
        frozenset({"floor_transfer"}),
        frozenset(),
    ),
    (r"\b(up|back up)( to standing)? from the floor\b|\bfloor[- ]ris", frozenset({"floor_to_stand"}), frozenset()),
    (
        r"\b(twist|twists|twisting|rotate|rotates|rotating|rotation)\b|"
        r"\bturn(s|ing)? your (shoulders|trunk|body|upper body|waist|chest)\b|\bacross your body\b",
        frozenset({"spinal_twist"}),
        frozenset(),
    ),
    (
        r"\bbend(s|ing)? forward\b(?! from (your|the) hips)|\bbend(s|ing)? down\b|\btouch(es)? your toes\b|"
        r"\b(reach|reaching) (for|to|towards) your toes\b|\btowards your toes\b|\bcurl(s|ing)? (your head|up)\b|"
        r"\bround(s|ing)? your (upper )?(back|spine)\b|\bsit-?ups?\b|\bcrunch(es)?\b|\blean forward over\b|"
        r"\bshoulder blades spread\b",
        frozenset({"spinal_flexion"}),
        frozenset(),
    ),
    (
        r"\barch(es|ing)? your (lower )?(back|spine)\b|\bback arches\b|\bbends? backwards\b|"
        r"\blift(ing)? your (arms, )?(head and )?chest\b",
        frozenset({"spinal_extension"}),
        frozenset(),
    ),
    (
        r"\bas far as (you can|it goes|it will go)\b(?! without losing (your )?balance)|"
        r"\b(strong|deep|hard|forced) stretch\b",
        frozenset(
            {"end_range_stretch", "end_range_spinal_flexion", "end_range_spinal_twist", "end_range_spinal_extension"}
        ),
        frozenset(),
    ),
    (
        r"\bhold(ing)? your breath\b|\bas hard as you can\b|\bpush(ing)? hard\b|\bmaximal\b|\bbear down\b|"
        r"\bstrain(ing)?\b",
        frozenset({"heavy_isometric"}),
        frozenset(),
    ),
    (
        r"\b(massage|massaging|heat pack|hot pack|hot water bottle|foam roll\w*)\b",
        frozenset({"massage_or_heat"}),
        frozenset(),
    ),
    (r"\boverhead\b|\babove your head\b", frozenset({"overhead_load"}), frozenset()),
    (r"\bface down\b|\bon your (front|tummy|stomach)\b", frozenset({"prone_loading"}), frozenset()),
    # Standing work where a hand rests on or holds a fixed support.
    (
        r"\b(hold|holds|holding|rest|resting)\b[^.;]*\b(chair|rail|counter|handrails?|fixed handles|wall)\b|"
        r"\bhands? (flat )?on (it|the (wall|edge|chair|rail|counter))\b",
        frozenset({"hand_support"}),
        frozenset({"seated", "supine", "side_lying", "prone", "quadruped", "in_water"}),
    ),
)
_COMPILED = tuple((re.compile(pattern, re.I), wanted, exempt) for pattern, wanted, exempt in WORD_RULES)

# An attribute that implies another (a loaded or end-range twist is a twist ...).
IMPLIES = (
    ("loaded_spinal_flexion", "spinal_flexion"),
    ("end_range_spinal_flexion", "spinal_flexion"),
    ("loaded_spinal_twist", "spinal_twist"),
    ("end_range_spinal_twist", "spinal_twist"),
    ("end_range_spinal_extension", "spinal_extension"),
    ("floor_to_stand", "floor_transfer"),
)
FLOOR_POSITIONS = frozenset({"prone", "quadruped"})


def _phrases(text: str) -> Iterator[str]:
    """Every sentence of `text` (split at . ; ! ?)."""
    start = 0
    for match in SENTENCE_END.finditer(text + "."):
        yield text[start : match.start()]
        start = match.end()


def word_problems(entry: Mapping[str, Any], tags: frozenset[str]) -> list[str]:
    problems = []
    for field in INSTRUCTION_FIELDS:
        for sentence in _phrases(entry["instructions"][field]):
            for pattern, wanted, exempt in _COMPILED:
                if entry["position"] in exempt:
                    continue
                for found in pattern.finditer(sentence):
                    if NEGATION.search(sentence[: found.end()]):
                        continue
                    if not wanted & tags:
                        problems.append(
                            f"{field} says {found.group(0)!r} ({sentence.strip()!r}) but declares none of "
                            f"{', '.join(sorted(wanted))}"
                        )
                    break
    return problems


def consistency_problems(entry: Mapping[str, Any], tags: frozenset[str]) -> list[str]:
    problems = []
    for attribute, implied in IMPLIES:
        if attribute in tags and implied not in tags:
            problems.append(f"{attribute} is declared without {implied}")
    if ("direct_pressure" in tags) != bool(entry["pressure_regions"]):
        problems.append("direct_pressure must be declared exactly when pressure_regions is not empty")
    if ("prone_loading" in tags) != (entry["position"] == "prone"):
        problems.append("prone_loading must be declared exactly for the prone position")
    if entry["position"] in FLOOR_POSITIONS and "mat" in entry["equipment"] and "floor_transfer" not in tags:
        problems.append(f"a {entry['position']} exercise on a mat needs floor_transfer")
    if {"jumping", "running"} & tags and IMPACT_LEVELS.index(entry["impact"]) < IMPACT_LEVELS.index("moderate"):
        problems.append("jumping or running with less than moderate impact")
    if "end_range_stretch" in tags and not entry["stretched_regions"]:
        problems.append("end_range_stretch without stretched_regions")
    return problems


def vocabulary_problems(entry: Mapping[str, Any]) -> list[str]:
    """Muscle groups, session roles and the aerobic intensity reach use their controlled words."""
    problems = []
    groups = entry.get("muscle_groups") or []
    if not groups:
        problems.append("no muscle_groups")
    unknown = [group for group in groups if group not in MUSCLE_GROUPS]
    if unknown:
        problems.append(f"muscle_groups outside the vocabulary: {', '.join(map(str, unknown))}")
    roles = entry.get("session_roles") or []
    if any(role not in SESSION_ROLES for role in roles):
        problems.append(f"session_roles outside {SESSION_ROLES}: {roles}")
    classes = [level.name for level in default_rulebook().anchors.intensity_classes]
    reach = entry.get("intensity_reach")
    if entry.get("component") == "aerobic" and reach not in classes:
        problems.append(f"an aerobic activity needs intensity_reach, one of {', '.join(classes)}")
    if entry.get("component") != "aerobic" and reach is not None:
        problems.append("intensity_reach is for aerobic activities only")
    return problems


def lint_exercise(entry: Mapping[str, Any]) -> list[str]:
    """Every problem with one library entry's attributes; an empty list means it passes."""
    if "attributes" not in entry:
        return ["no attributes block: every attribute must be stated true or false"]
    try:
        tags = frozenset(tags_from_attributes(entry.get("slug"), entry["attributes"]))
    except ValueError as error:
        return [str(error)]
    return word_problems(entry, tags) + consistency_problems(entry, tags) + vocabulary_problems(entry)
