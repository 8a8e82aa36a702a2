"""The exercise library, read-only for everyone signed in."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets

from planner.vocabulary import COMPONENTS, EQUIPMENT, IMPACT_LEVELS, MOVEMENT_TAGS
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

    def get_instructions(self, exercise) -> dict[str, str]:
        return {
            "setup": exercise.setup,
            "movement": exercise.movement,
            "feel": exercise.feel,
            "mistakes": exercise.mistakes,
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
    queryset = Exercise.objects.filter(is_active=True).select_related("easier", "harder")

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

        if params.get("component"):
            queryset = queryset.filter(component=params["component"])
        if params.get("impact"):
            queryset = queryset.filter(impact=params["impact"])
        if params.get("max_impact"):
            allowed = IMPACT_LEVELS[: IMPACT_LEVELS.index(params["max_impact"]) + 1]
            queryset = queryset.filter(impact__in=allowed)
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
