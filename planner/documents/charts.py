"""What the progress charts show, built once: the staff pages draw it as SVG, the PDFs with reportlab.

Pure: plain values in (each check-in's pain and effort, each week's sessions planned and done, each
measurement), charts out: series with their labels and points, reference lines, titles, value ranges
and the text shown when there is nothing to plot. planner.documents.booklet and .report put them in the
plan booklet and the progress report (rehab/pdf/charts.py draws them); rehab.progress builds them from a plan's progress
series for the staff pages (frontend/charts.py draws them). The drawings decide only the looks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from planner.progression_rules import ProgressionConfig, default_progression_config
from planner.translation import gettext, pgettext
from planner.types import LoadLimits
from planner.vocabulary import MEASURES


class PainScores(Protocol):
    """One check-in's scores (planner.documents.inputs.PainEntry): pain 0-10 (None: not given), RPE 6-20."""

    @property
    def date(self) -> date: ...
    @property
    def during(self) -> int | None: ...
    @property
    def after(self) -> int | None: ...
    @property
    def next_morning(self) -> int | None: ...
    @property
    def rpe(self) -> int | None: ...


class WeekCount(Protocol):
    """Sessions planned and done in one plan week (planner.documents.inputs.WeekAdherence)."""

    @property
    def week(self) -> int: ...
    @property
    def planned(self) -> int: ...
    @property
    def done(self) -> int: ...


class MeasurePoint(Protocol):
    """One measurement (planner.documents.inputs.MeasureEntry): a vocabulary.MEASURE_CODES kind, a value in its unit."""

    @property
    def kind(self) -> str: ...
    @property
    def date(self) -> date: ...
    @property
    def value(self) -> float: ...


@dataclass(frozen=True)
class Series:
    """One line of a chart: (date, value) points in date order."""

    label: str
    points: tuple[tuple[date, float], ...]


@dataclass(frozen=True)
class ReferenceLine:
    """A horizontal line across a chart, e.g. the highest acceptable pain."""

    label: str
    value: float


@dataclass(frozen=True)
class TimeChart:
    """A line chart over dates. empty_text: printed instead of the chart when no series has a point."""

    title: str
    y_label: str
    y_min: float
    y_max: float
    series: tuple[Series, ...]
    reference_lines: tuple[ReferenceLine, ...] = ()
    empty_text: str = ""

    @property
    def has_data(self) -> bool:
        return any(series.points for series in self.series)


@dataclass(frozen=True)
class BarSeries:
    label: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class BarChart:
    """Grouped bars: one group per category, one bar per series."""

    title: str
    y_label: str
    categories: tuple[str, ...]
    series: tuple[BarSeries, ...]
    y_max: float
    empty_text: str = ""

    @property
    def has_data(self) -> bool:
        return bool(self.categories)


def pain_chart(entries: Sequence[PainScores], config: ProgressionConfig | None = None, title: str = "") -> TimeChart:
    """Pain during, after and the next morning over time, with the highest acceptable pain as a line.

    Patients read it (page and PDF): its words follow the active language (planner.translation)."""
    config = config or default_progression_config()
    entries = sorted(entries, key=lambda entry: entry.date)

    def series(label: str, name: str) -> Series:
        return Series(label, tuple((e.date, float(getattr(e, name))) for e in entries if getattr(e, name) is not None))

    return TimeChart(
        title=title or gettext("Your pain so far"),
        y_label=gettext("Pain (0-10)"),
        y_min=0,
        y_max=10,
        series=(
            series(gettext("During"), "during"),
            series(gettext("After"), "after"),
            series(gettext("Next morning"), "next_morning"),
        ),
        reference_lines=(
            ReferenceLine(
                gettext("Acceptable up to %(pain)s") % {"pain": config.pain_amber_max}, config.pain_amber_max
            ),
        ),
        empty_text=gettext("No sessions logged yet: the chart fills in as you log your sessions."),
    )


def effort_chart(entries: Sequence[PainScores], limits: LoadLimits | None = None) -> TimeChart:
    """Session effort (Borg 6-20) over time, with the plan's aerobic and resistance ceilings as lines
    (none without limits: the staff pages show the ceilings next to the chart)."""
    points = tuple((e.date, float(e.rpe)) for e in sorted(entries, key=lambda e: e.date) if e.rpe is not None)
    return TimeChart(
        title=gettext("Session effort (Borg RPE)"),
        y_label=gettext("RPE (6-20)"),
        y_min=6,
        y_max=20,
        series=(Series(gettext("Session RPE"), points),),
        reference_lines=(
            ReferenceLine(gettext("Aerobic ceiling %(rpe)s") % {"rpe": limits.aerobic.max_rpe}, limits.aerobic.max_rpe),
            ReferenceLine(
                gettext("Resistance ceiling %(rpe)s") % {"rpe": limits.resistance.max_rpe}, limits.resistance.max_rpe
            ),
        )
        if limits is not None
        else (),
        empty_text=gettext("No effort ratings logged yet."),
    )


def adherence_chart(adherence: Sequence[WeekCount]) -> BarChart:
    """Sessions planned and done per plan week, one group of bars per week (W1, W2 ...)."""
    weeks = sorted(adherence, key=lambda a: a.week)
    return BarChart(
        title=gettext("Sessions planned and done, per week"),
        y_label=gettext("Sessions"),
        categories=tuple(gettext("W%(week)s") % {"week": a.week} for a in weeks),
        # Planned first, done second: the staff pages redraw them in that order.
        series=(
            BarSeries(pgettext("sessions", "Planned"), tuple(float(a.planned) for a in weeks)),
            BarSeries(pgettext("sessions", "Done"), tuple(float(a.done) for a in weeks)),
        ),
        y_max=float(max([a.planned for a in weeks] + [a.done for a in weeks] + [1])),
        empty_text=gettext("No plan week has ended yet."),
    )


def measure_charts(measures: Sequence[MeasurePoint]) -> tuple[TimeChart, ...]:
    """One chart per measure with values, in the vocabulary's order, its range padded around the values.

    The vocabulary's labels and word units are data: they are marked for the catalogue where the Django
    layer names them (rehab.measure_words), and read here in the active language."""
    charts = []
    for code, label, unit, low, high, higher_is_better in MEASURES:
        points = tuple((m.date, float(m.value)) for m in sorted(measures, key=lambda m: m.date) if m.kind == code)
        if not points:
            continue
        values = [value for _, value in points]
        span = max(values) - min(values)
        y_min = max(low, min(values) - max(span * 0.2, 1))
        y_max = min(high, max(values) + max(span * 0.2, 1))
        name, said_unit = gettext(label), gettext(unit)
        title = (
            gettext("%(measure)s (%(unit)s, higher is better)")
            if higher_is_better
            else gettext("%(measure)s (%(unit)s, lower is better)")
        ) % {"measure": name, "unit": said_unit}
        charts.append(TimeChart(title, said_unit, y_min, y_max, (Series(name, points),)))
    return tuple(charts)
