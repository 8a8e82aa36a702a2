"""A library exercise named in a stored sentence (planner.progression.said.ExerciseName) keeps its English
for the record and is named in the reader's language where the sentence is said."""

from hypothesis import given
from hypothesis import strategies as st

from planner import translation
from planner.progression.said import ExerciseName, said, said_from_data


def _installed_names(names):
    saved = translation._exercise_name
    translation._exercise_name = lambda slug, english: names.get(slug, english)
    return saved


slugs = st.from_regex(r"[a-z]{1,10}(-[a-z]{1,8}){0,2}", fullmatch=True)
names = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30).filter(lambda t: "%" not in t)


@given(slug=slugs, english=names, spanish=names)
def test_the_name_reads_back_as_its_english_and_is_said_in_the_readers_words(slug, english, spanish):
    sentence = said("%(exercise)s dose lowered (%(reason)s)", exercise=ExerciseName(slug, english), reason="pain")
    stored = said_from_data(sentence.as_data())
    assert stored == sentence
    saved = _installed_names({slug: spanish})
    try:
        assert stored.english() == f"{english} dose lowered (pain)"
        assert stored.text() == f"{spanish} dose lowered (pain)"
    finally:
        translation._exercise_name = saved


def test_an_exercise_the_library_does_not_translate_keeps_its_english():
    saved = _installed_names({})
    try:
        assert (
            said("%(exercise)s removed", exercise=ExerciseName("new-drill", "New drill")).text() == "New drill removed"
        )
    finally:
        translation._exercise_name = saved
