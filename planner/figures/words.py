"""What a figure shows, in words: the alt text of the picture (the same sentence on pages and in the PDF)."""

from __future__ import annotations

from collections.abc import Iterable

from planner.documents.wording import region_words
from planner.figures.library import Figure
from planner.figures.scene import shown_protected

VIEW_WORDS = {"side": "seen from the side", "front": "seen from the front"}
POSE_WORDS = {
    "stand": "standing",
    "sit": "sitting",
    "sit_front": "sitting",
    "floor_sit": "sitting on the floor",
    "supine": "lying on the back",
    "prone": "lying face down",
    "quadruped": "on hands and knees",
    "side_lying": "lying on the side",
}


def alt_text(figure: Figure, name: str, movement: str, protected: Iterable[str] = ()) -> str:
    """ "Sit-to-stand: a figure sitting, seen from the side. Lean forward and stand up ... " and, when
    regions are protected, which ones the picture marks and that it shows no load on them."""
    said = figure.says or movement
    text = f"{name}: a figure {POSE_WORDS[figure.pose]}, {VIEW_WORDS[figure.view]}. {said}"
    marked = sorted(shown_protected(protected))
    if marked:
        text += f" Marked in orange: {region_words(marked)}, to be kept free of load; no weight or band is shown there."
    return text
