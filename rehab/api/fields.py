"""Serializer fields shared by several endpoints."""

from django.utils.translation import gettext
from rest_framework import serializers


class VocabularyListField(serializers.ListField):
    """A list of distinct values from a closed vocabulary, e.g. body regions."""

    def __init__(self, vocabulary, **kwargs):
        kwargs.setdefault("child", serializers.ChoiceField(choices=vocabulary))
        kwargs.setdefault("allow_empty", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        if len(set(values)) != len(values):
            raise serializers.ValidationError(gettext("Each value may appear only once."))
        return values
