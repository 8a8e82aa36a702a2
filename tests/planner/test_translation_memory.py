"""planner.translation's memory: inside `remembered`, each message is looked up once; outside, every time."""

from planner import translation


def test_each_message_is_looked_up_once_while_remembered():
    looked_up = []

    def gettext(message):
        looked_up.append(message)
        return message.upper()

    def ngettext(singular, plural, number):
        looked_up.append(singular)
        return singular if number == 1 else plural

    def pgettext(context, message):
        looked_up.append(f"{context}|{message}")
        return message.lower()

    # install() sets every seam: keep the decimal separator and the exercise names too, or later tests
    # lose Spanish's comma and the library's Spanish names.
    saved = (translation._gettext, translation._ngettext, translation._pgettext, translation._decimal_separator)
    saved_names = translation._exercise_name
    translation.install(gettext=gettext, ngettext=ngettext, pgettext=pgettext)
    try:
        with translation.remembered({}):
            words = [translation.gettext("day") for _ in range(3)]
            counted = [translation.ngettext("week", "weeks", n) for n in (1, 2, 2)]
            months = [translation.pgettext("month", "May") for _ in range(2)]
        outside = [translation.gettext("day") for _ in range(2)]
    finally:
        translation._gettext, translation._ngettext, translation._pgettext, translation._decimal_separator = saved
        translation._exercise_name = saved_names

    assert words == ["DAY"] * 3
    assert counted == ["week", "weeks", "weeks"]
    assert months == ["may", "may"]
    assert outside == ["DAY", "DAY"]
    # Once each inside (ngettext once per number), then every time outside.
    assert looked_up == ["day", "week", "week", "month|May", "day", "day"]
