"""The wording patients read that comes from outside a template, marked for translation.

planner/ has no Django import, so its texts cannot call gettext, and a few service texts are built
as plain strings. Each text a patient reads is listed here as a literal (gettext_noop: makemessages
extracts it, nothing is translated at import), and the page that shows it calls gettext() on the
original string. tests/rehab/test_catalogues.py fails when the planner's texts and this list drift
apart (a text changed there and not here would be shown in English).
"""

from django.utils.translation import gettext_noop

# planner.vocabulary.RED_FLAGS: (label, advice) of each red flag, in order. Advice is safety advice:
# each translation keeps its exact meaning (what to stop, whom to call, when to call an ambulance).
RED_FLAG_WORDS = (
    (
        gettext_noop("Chest pain or pressure"),
        gettext_noop("Stop now. If it does not ease within a few minutes at rest, call an ambulance."),
    ),
    (
        gettext_noop("Unusual breathlessness or a new cough"),
        gettext_noop("Stop and rest sitting upright. If it does not settle, or you feel worse, call an ambulance."),
    ),
    (
        gettext_noop("Dizziness, fainting or feeling you might faint"),
        gettext_noop("Stop and sit or lie down at once. Call your clinic today; call an ambulance if you fainted."),
    ),
    (
        gettext_noop("New or growing swelling"),
        gettext_noop("Stop the exercise that hurts. Call your clinic today."),
    ),
    (
        gettext_noop("Redness or heat over a hard lump (calcified area)"),
        gettext_noop("Do not press or stretch the area. Call your clinic today."),
    ),
    (
        gettext_noop("Skin breaking down over a calcified area"),
        gettext_noop("Cover it with a clean dressing and do not exercise on it. Call your clinic today."),
    ),
    (
        gettext_noop("Fever (38 °C or more)"),
        gettext_noop("Do not exercise today. Call your clinic or your doctor today."),
    ),
    (
        gettext_noop("Dark (cola-coloured) urine"),
        gettext_noop("Do not exercise. Drink water and call your clinic or doctor today."),
    ),
    (
        gettext_noop("New weakness (for example, harder to climb stairs or lift your arms)"),
        gettext_noop("Do not exercise. Call your clinic today."),
    ),
    (
        gettext_noop("Trouble swallowing or a changed voice"),
        gettext_noop("Do not exercise. Call your clinic today; call an ambulance if you choke or cannot swallow."),
    ),
    (
        gettext_noop("Sudden bone pain, a suspected fracture or new back pain"),
        gettext_noop("Stop and do not put weight on it. Call your clinic today, or go to the emergency department."),
    ),
    (
        gettext_noop("Palpitations or an irregular heartbeat"),
        gettext_noop(
            "Stop and sit down. If it does not settle within a few minutes, "
            "or you feel faint or have chest pain, call an ambulance."
        ),
    ),
    (
        gettext_noop("A fall, with or without injury"),
        gettext_noop(
            "Do not exercise again today. If you hurt a bone or your back, "
            "do not put weight on it and call your clinic or go to the emergency department."
        ),
    ),
    (
        gettext_noop("Numbness, tingling, coldness or a colour change in a leg"),
        gettext_noop(
            "Stop and do not sit or lean on the sore area. Call your clinic today; "
            "go to the emergency department if the leg is cold, pale or you cannot move it."
        ),
    ),
    (
        gettext_noop("Discharge or pus from a calcified area"),
        gettext_noop("Cover it with a clean dressing and do not exercise on it. Call your clinic or doctor today."),
    ),
    (
        gettext_noop("Your rash is flaring"),
        gettext_noop("Do not exercise today. Call your clinic today."),
    ),
    (
        gettext_noop("Severe muscle pain or swelling that has lasted more than a day"),
        gettext_noop("Do not exercise. Call your clinic today."),
    ),
    (
        gettext_noop("Exhaustion that has lasted into the next day"),
        gettext_noop("Rest today and do not exercise. Call your clinic today."),
    ),
    (
        gettext_noop("A new cough, or breathlessness while resting"),
        gettext_noop(
            "Do not exercise. Call your clinic or doctor today; call an ambulance if you struggle to breathe."
        ),
    ),
    (
        gettext_noop("Oxygen reading below 90 %, or 4 points or more below your usual"),
        gettext_noop(
            "Stop and rest sitting upright. If it does not come back up within a few minutes, call an ambulance."
        ),
    ),
)

# rehab.services.alerts.patient_advice: after a session with high pain or a red flag.
ADVICE_WORDS = (
    gettext_noop(
        "Your pain was high. Stop the exercises for now and rest. Your care team has been told "
        "and will contact you about what to do next."
    ),
    gettext_noop("Your plan is paused until your care team has looked at this."),
)

# planner/data/effort_scales.json "cr10_words": the words of each 0-10 effort answer, in order.
CR10_WORDS = (
    gettext_noop("rest, no effort"),
    gettext_noop("very, very light"),
    gettext_noop("very light"),
    gettext_noop("light"),
    gettext_noop("light, a little harder"),
    gettext_noop("moderate"),
    gettext_noop("moderate, a little harder"),
    gettext_noop("hard"),
    gettext_noop("very hard"),
    gettext_noop("very, very hard"),
    gettext_noop("as hard as you can"),
)

# planner/data/rules_growth.json "ladders": each ladder's levels, in order (band, tempo, support).
LADDER_LEVEL_WORDS = {
    "band_level": (
        gettext_noop("yellow (extra light)"),
        gettext_noop("red (light)"),
        gettext_noop("green (medium)"),
        gettext_noop("blue (heavy)"),
        gettext_noop("black (extra heavy)"),
    ),
    "tempo_level": (
        gettext_noop("steady: 2 seconds up, 2 seconds down"),
        gettext_noop("slow lowering: 2 seconds up, 4 seconds down"),
        gettext_noop("slow with a pause: 2 seconds up, hold 2 seconds, 4 seconds down"),
    ),
    "support_level": (
        gettext_noop("both hands on the support"),
        gettext_noop("one hand on the support"),
        gettext_noop("fingertips on the support"),
        gettext_noop("hands just above the support"),
    ),
}

# planner.vocabulary.PAIN_SITES: where a patient says it hurt, in order.
PAIN_SITE_WORDS = (
    gettext_noop("The hard lump (calcified area)"),
    gettext_noop("My muscles"),
    gettext_noop("My joints"),
    gettext_noop("Somewhere else"),
)
