"""The engine's vocabulary codes as staff pages say them, in the reader's language.

planner.vocabulary names equipment, movements, impact levels and positions by code
("resistance_band"); the forms and the plan page show these words instead. A code not listed here
reads as itself in plain English. The record's own codes (plan statuses, alert kinds, what was read in
the access log ...) are not here: pages read the models' translatable labels (rehab.models), one source.
"""

from django.utils.translation import gettext_lazy

CODE_WORDS = {
    # Equipment
    "none": gettext_lazy("None"),
    "chair": gettext_lazy("Chair"),
    "wall": gettext_lazy("Wall"),
    "step": gettext_lazy("Step"),
    "resistance_band": gettext_lazy("Resistance band"),
    "dumbbell": gettext_lazy("Dumbbell"),
    "ankle_weight": gettext_lazy("Ankle weight"),
    "cuff_weight": gettext_lazy("Cuff weight"),
    "treadmill": gettext_lazy("Treadmill"),
    "upright_bike": gettext_lazy("Upright bike"),
    "recumbent_bike": gettext_lazy("Recumbent bike"),
    "arm_ergometer": gettext_lazy("Arm ergometer"),
    "pool": gettext_lazy("Pool"),
    "mat": gettext_lazy("Mat"),
    "cushion": gettext_lazy("Cushion"),
    "rail": gettext_lazy("Rail"),
    "cable_machine": gettext_lazy("Cable machine"),
    "leg_press": gettext_lazy("Leg press"),
    "rowing_machine": gettext_lazy("Rowing machine"),
    "elliptical": gettext_lazy("Elliptical"),
    "walking_poles": gettext_lazy("Walking poles"),
    "inspiratory_trainer": gettext_lazy("Inspiratory muscle trainer"),
    # Movements a limit can exclude
    "loaded_spinal_flexion": gettext_lazy("Loaded spinal flexion"),
    "loaded_spinal_twist": gettext_lazy("Loaded spinal twist"),
    "ballistic": gettext_lazy("Ballistic"),
    "heavy_eccentric": gettext_lazy("Heavy eccentric"),
    "end_range_stretch": gettext_lazy("End-range stretch"),
    "direct_pressure": gettext_lazy("Direct pressure"),
    "prone_loading": gettext_lazy("Prone loading"),
    "floor_transfer": gettext_lazy("Floor transfer"),
    "overhead_load": gettext_lazy("Overhead load"),
    "running": gettext_lazy("Running"),
    "jumping": gettext_lazy("Jumping"),
    "rapid": gettext_lazy("Rapid"),
    "swinging": gettext_lazy("Swinging"),
    "spinal_flexion": gettext_lazy("Spinal flexion"),
    "end_range_spinal_flexion": gettext_lazy("End-range spinal flexion"),
    "spinal_twist": gettext_lazy("Spinal twist"),
    "end_range_spinal_twist": gettext_lazy("End-range spinal twist"),
    "spinal_extension": gettext_lazy("Spinal extension"),
    "end_range_spinal_extension": gettext_lazy("End-range spinal extension"),
    "floor_lift": gettext_lazy("Lift from the floor"),
    "floor_to_stand": gettext_lazy("Floor to standing"),
    "heavy_isometric": gettext_lazy("Heavy isometric"),
    "massage_or_heat": gettext_lazy("Massage or heat"),
    "hand_support": gettext_lazy("Weight on the hands"),
    # Impact levels ("none" is above)
    "low": gettext_lazy("Low"),
    "moderate": gettext_lazy("Moderate"),
    "high": gettext_lazy("High"),
    # Positions
    "seated": gettext_lazy("Seated"),
    "standing": gettext_lazy("Standing"),
    "supine": gettext_lazy("Supine"),
    "side_lying": gettext_lazy("Side-lying"),
    "prone": gettext_lazy("Prone"),
    "quadruped": gettext_lazy("Four-point kneeling"),
    "in_water": gettext_lazy("In water"),
}

# A plan history entry: what happened to the plan row, and the dose field a change touched.
HISTORY_ACTION_WORDS = {
    "created": gettext_lazy("created"),
    "changed": gettext_lazy("changed"),
    "deleted": gettext_lazy("deleted"),
}
DOSE_FIELD_WORDS = {
    "frequency_per_week": gettext_lazy("sessions a week"),
    "minutes": gettext_lazy("minutes a session"),
    "sets": gettext_lazy("sets"),
    "reps": gettext_lazy("repetitions a set"),
    "hold_seconds": gettext_lazy("seconds a hold"),
    "intensity_low": gettext_lazy("intensity from"),
    "intensity_high": gettext_lazy("intensity up to"),
}
