"""The exercise library, read-only for everyone signed in, and each exercise's figure (an animated SVG)."""

import hashlib
from functools import lru_cache

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from planner.figures.library import default_figures
from planner.figures.svg import render_svg
from planner.types import Instructions
from planner.vocabulary import BODY_REGIONS, COMPONENTS, EQUIPMENT, IMPACT_LEVELS, MOVEMENT_TAGS
from rehab import selectors
from rehab.exercise_words import exercise_words
from rehab.models import Exercise


class ExerciseSerializer(serializers.ModelSerializer):
    easier = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True, help_text="The easier variant; null when none."
    )
    harder = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True, help_text="The harder variant; null when none."
    )
    instructions = serializers.SerializerMethodField()

    class Meta:
        model = Exercise
        fields = [
            "id",
            "slug",
            "name",
            "component",
            "impact",
            "regions_loaded",
            "pressure_regions",
            "stretched_regions",
            "equipment",
            "position",
            "tags",
            "dose_kind",
            "easier",
            "harder",
            "instructions",
            "muscle_groups",
        ]

    def to_representation(self, exercise):
        # Name and instructions in the caller's language (their own choice, else Accept-Language),
        # else the library's English.
        data = super().to_representation(exercise)
        data["name"] = self._words(exercise).name
        return data

    def _words(self, exercise):
        english = Instructions(exercise.setup, exercise.movement, exercise.feel, exercise.mistakes)
        return exercise_words(exercise.slug, exercise.name, english)

    def get_instructions(self, exercise) -> dict[str, str]:
        shown = self._words(exercise).instructions
        return {
            "setup": shown.setup,
            "movement": shown.movement,
            "feel": shown.feel,
            "mistakes": shown.mistakes,
        }


def _choice_param(name, values, description):
    return OpenApiParameter(name, OpenApiTypes.STR, enum=list(values), description=description)


@extend_schema(
    parameters=[
        _choice_param("component", COMPONENTS, "Only this FITT component."),
        _choice_param("impact", IMPACT_LEVELS, "Only this impact level."),
        _choice_param("max_impact", IMPACT_LEVELS, "This impact level or gentler."),
        _choice_param("tag", MOVEMENT_TAGS, "Only exercises carrying this movement tag."),
        _choice_param("exclude_tag", MOVEMENT_TAGS, "Leave out exercises carrying this movement tag."),
        _choice_param("equipment", EQUIPMENT, "Only exercises that use this equipment."),
    ]
)
class ExerciseViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ExerciseSerializer
    lookup_field = "slug"
    # A slug of the library, at most 80 characters; anything else (a NUL byte ...) is a 404 before any query.
    lookup_value_regex = "[-a-zA-Z0-9_]{1,80}"

    def get_queryset(self):
        return selectors.exercise_library()

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        params = self.request.query_params
        errors = {}
        for name, vocabulary in (
            ("component", COMPONENTS),
            ("impact", IMPACT_LEVELS),
            ("max_impact", IMPACT_LEVELS),
            ("tag", MOVEMENT_TAGS),
            ("exclude_tag", MOVEMENT_TAGS),
            ("equipment", EQUIPMENT),
        ):
            value = params.get(name)
            if value is not None and value not in vocabulary:
                errors[name] = [f"Unknown value {value!r}; choose one of: {', '.join(vocabulary)}."]
        if errors:
            raise serializers.ValidationError(errors)

        queryset = selectors.exercise_library(
            component=params.get("component"), impact=params.get("impact"), max_impact=params.get("max_impact")
        )
        # List-valued JSON fields: filtered in Python, which every database supports; the
        # library is a few hundred rows at most.
        rows = list(queryset)
        if params.get("tag"):
            rows = [row for row in rows if params["tag"] in row.tags]
        if params.get("exclude_tag"):
            rows = [row for row in rows if params["exclude_tag"] not in row.tags]
        if params.get("equipment"):
            rows = [row for row in rows if params["equipment"] in row.equipment]
        return rows


# --- The exercise's figure --------------------------------------------------------------------------

# A library figure carries no patient data: the browser may keep it a day and revalidate with its ETag.
# With `protect` (a patient's protected regions) it is health data and stays no-store.
ILLUSTRATION_MAX_AGE = 24 * 60 * 60


@lru_cache(maxsize=512)
def _illustration(slug: str, name: str, movement: str, protected: tuple[str, ...]) -> tuple[str, str]:
    """(SVG, ETag) of one exercise's figure; the figure is pure data, so it is drawn once per process."""
    figure = default_figures().get(slug)
    if figure is None:
        raise Http404
    svg = render_svg(figure, name, movement, protected)
    return svg, '"' + hashlib.sha256(svg.encode()).hexdigest()[:32] + '"'


def _protected_regions(raw: str | None) -> tuple[str, ...]:
    if not raw:
        return ()
    regions = tuple(sorted({part.strip() for part in raw.split(",") if part.strip()}))
    unknown = [region for region in regions if region not in BODY_REGIONS]
    if unknown or len(regions) > len(BODY_REGIONS):
        raise serializers.ValidationError(
            {"protect": [f"Unknown body region {unknown[0]!r}." if unknown else "Too many regions."]}
        )
    return regions


def _etag_matches(header: str, etag: str) -> bool:
    candidates = [part.strip().removeprefix("W/") for part in header.split(",")]
    return "*" in candidates or etag in candidates


class ExerciseIllustrationView(APIView):
    """GET /api/v1/exercises/{slug}/illustration.svg: the exercise's animated figure."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="exercises_illustration",
        parameters=[
            OpenApiParameter("slug", OpenApiTypes.STR, OpenApiParameter.PATH, pattern=r"^[-a-zA-Z0-9_]{1,80}$"),
            OpenApiParameter(
                "protect",
                OpenApiTypes.STR,
                description="Comma-separated body regions to mark as protected (a patient's limits): drawn "
                "highlighted, never with a weight or band on them.",
            ),
            OpenApiParameter(
                "If-None-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, description="An ETag from before."
            ),
        ],
        responses={
            (200, "image/svg+xml"): OpenApiResponse(
                OpenApiTypes.STR,
                description="An SVG that moves between the exercise's keyframes (still when the user prefers "
                "reduced motion), with the movement in words as its title and description. `ETag` names it.",
            ),
            304: OpenApiResponse(description="The figure has not changed since the ETag sent in If-None-Match."),
        },
    )
    def get(self, request, slug: str):
        """The exercise's figure as an animated SVG, cached by ETag."""
        protected = _protected_regions(request.query_params.get("protect"))
        exercise = selectors.exercise_for_figure(slug)
        if exercise is None:
            raise Http404
        svg, etag = _illustration(exercise.slug, exercise.name, exercise.movement, protected)
        if _etag_matches(request.headers.get("If-None-Match", ""), etag):
            response = HttpResponse(status=304)
        else:
            response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
        response["ETag"] = etag
        if protected:
            response["Cache-Control"] = "private, no-store"
        else:
            response["Cache-Control"] = f"private, max-age={ILLUSTRATION_MAX_AGE}"
            response.cacheable = True  # rehab.headers.NoStoreMiddleware keeps this Cache-Control
        # The figure's own <style> animates it: the page's strict policy does not apply inside an <img>,
        # but the SVG opened on its own gets this one (no script, nothing loaded, styles inline only).
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
        return response
