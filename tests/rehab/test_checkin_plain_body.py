"""The check-in lane's own reading of the common body gives what CheckInSerializer's validation gives,
and reads nothing the serializer refuses (rehab/api/checkin_plain_body.py). No database."""

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.exceptions import ValidationError

from rehab.api.checkin_plain_body import plain_fields
from rehab.api.checkins import CheckInSerializer

ODD_NUMBERS = st.one_of(
    st.integers(-3, 25),
    st.sampled_from([None, True, False, 2.0, 2.5, "3", "", 10**20, -(10**20)]),
)
FIELDS = {
    "date": st.one_of(
        st.dates(date(1999, 1, 1), date(2031, 12, 31)).map(date.isoformat),
        st.sampled_from(
            ["2026-11-9", "2026-02-30", "20261109", "2026-11-09T10:00", " 2026-11-09", "２０２６-11-09", None, 20261109]
        ),
    ),
    "pain_during": ODD_NUMBERS,
    "pain_after": ODD_NUMBERS,
    "pain_next_morning": ODD_NUMBERS,
    "session_rpe": ODD_NUMBERS,
    "notes": st.one_of(
        st.text(max_size=30),
        st.sampled_from(
            ["", "  ", " fine ", "\x00", "a\ud800", "x" * 2000, " " + "x" * 2000 + " ", "x" * 2001, None, 3]
        ),
    ),
    "kind": st.sampled_from(["session", "symptoms", "", None, 1, "SESSION"]),
    "plan": st.one_of(st.integers(-5, 10**19), st.sampled_from(["5", True, None, 2.0])),
    "effort_scale": st.sampled_from(["", "cr10", "borg_6_20"]),
    "effort_value": ODD_NUMBERS,
    "red_flags": st.sampled_from([[], ["chest_pain"]]),
    "pain_regions": st.sampled_from([[], ["muscles"]]),
    "id": st.integers(1, 5),
    "shoe_size": st.integers(30, 50),
}
COMMON = {"date": "2026-11-09", "pain_during": 2, "pain_after": 3, "session_rpe": 12}


def _serializers_reading(payload: dict) -> dict | None:
    try:
        return dict(CheckInSerializer().run_validation(dict(payload)))
    except ValidationError:
        return None


@settings(max_examples=600, deadline=None)
@given(payload=st.fixed_dictionaries({}, optional=FIELDS))
def test_whatever_the_lane_reads_is_what_the_serializer_makes_of_it(payload):
    ours = plain_fields(dict(payload))

    if ours is not None:
        theirs = _serializers_reading(payload)
        assert theirs is not None, "read a body the serializer refuses"
        assert ours == theirs
        assert [type(value) for value in ours.values()] == [type(theirs[name]) for name in ours]


@settings(max_examples=200, deadline=None)
@given(
    changes=st.fixed_dictionaries({}, optional={name: FIELDS[name] for name in ("pain_next_morning", "notes", "plan")})
)
def test_a_common_body_with_good_values_is_read_by_the_lane(changes):
    payload = {**COMMON, **changes}
    theirs = _serializers_reading(payload)
    plain_text = not any(char in str(changes.get("notes", "")) for char in "\x00\ud800")
    expected_read = (
        theirs is not None
        and plain_text
        and all(
            type(value) is (int if name != "notes" else str) for name, value in changes.items() if value is not None
        )
        and not (changes.get("plan", 0) is None or changes.get("plan", 0) < 0 or changes.get("plan", 0) >= 10**18)
    )

    assert (plain_fields(dict(payload)) is not None) is expected_read


def test_the_benchs_body_is_read_by_the_lane():
    assert plain_fields(dict(COMMON)) == {
        "date": date(2026, 11, 9),
        "pain_during": 2,
        "pain_after": 3,
        "session_rpe": 12,
        "kind": "session",
    }
