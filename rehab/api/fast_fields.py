"""Serializer fields built once per class, not once per request.

A ModelSerializer works out its fields from the model every time it is instantiated (a check-in POST
builds four: the check-in and its items, for the input and for the answer), which is a large share of
the request's CPU. The fields depend only on the class and its Meta, so they are built once and each
instance gets a deep copy, as DRF itself does for declared fields.
"""

import copy


class FieldsBuiltOnce:
    """Mix into a ModelSerializer whose get_fields depends on nothing but the class."""

    def get_fields(self):
        cls = type(self)
        built = cls.__dict__.get("_fields_built_once")
        if built is None:
            built = super().get_fields()
            cls._fields_built_once = built
        return copy.deepcopy(built)
