"""Weekly decisions keep their doses with rule ids only; the rule texts go once into a shared part.

Until now every dose a decision recorded (before, after, held, the growth window) carried the texts of
every rule it cited, the same texts about fifty times a row. This moves them into one rule index per
decision, stored as a PlanPart of kind "rule_index" (shared by every decision that cites the same
rules), and leaves each dose its rule ids. A dose whose rule reads differently from the index's keeps
its own texts. Going back puts each dose's texts back beside it.

Frozen: the conversion is written out here, not imported from the app, so that this migration does
what it did when it was written whatever the app's code becomes. The digest is planner.storage's
(sha256 of the canonical JSON of {"kind", "body"}, first 32 hex digits), so a part written here is
the part the app would write for the same index.
"""

import hashlib
import json

from django.db import migrations, models

KIND = "rule_index"
RATIONALE = "rationale"
DERIVED = ("volume_per_week", "volume_unit")
BATCH = 500


def _digest(kind, body):
    text = json.dumps({"kind": kind, "body": body}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _without_texts(dose, index, rationales):
    dose = {name: value for name, value in dose.items() if name not in DERIVED and value is not None}
    rationale = dose.pop("rationale", {})
    if isinstance(rationale, dict) and rationale:
        body = [[field, ids] for field, ids in rationale.items()]  # as planner.storage.ordered writes it
        key = _digest(RATIONALE, body)
        rationales[key] = body
        dose["rationale"] = key
    cited = dose.pop("rule_index", {})
    if any(index.get(rule_id, entry) != entry for rule_id, entry in cited.items()):
        dose["rule_index"] = cited
    else:
        index.update(cited)
    return dose


def _with_texts(dose, index, rationales):
    dose = dict(dose)
    if isinstance(dose.get("rationale"), str):
        dose["rationale"] = dict(rationales[dose["rationale"]])
    if "rule_index" not in dose:
        cited = {rule_id for ids in dose.get("rationale", {}).values() for rule_id in ids}
        dose["rule_index"] = {rule_id: index[rule_id] for rule_id in cited if rule_id in index}
    return dose


def _each_dose(decision, convert):
    decision.doses_before = {slug: convert(dose) for slug, dose in decision.doses_before.items()}
    decision.doses_after = {slug: convert(dose) for slug, dose in decision.doses_after.items()}
    carry = dict(decision.carry)
    if carry.get("held_doses"):
        carry["held_doses"] = {slug: convert(dose) for slug, dose in carry["held_doses"].items()}
    if carry.get("growth_trails"):
        carry["growth_trails"] = {slug: [convert(d) for d in trail] for slug, trail in carry["growth_trails"].items()}
    decision.carry = carry


def _stored_doses(decision):
    carry = decision.carry
    yield from decision.doses_before.values()
    yield from decision.doses_after.values()
    yield from (carry.get("held_doses") or {}).values()
    for trail in (carry.get("growth_trails") or {}).values():
        yield from trail


def _batches(queryset):
    batch = []
    for row in queryset.iterator(chunk_size=BATCH):
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def rule_texts_to_parts(apps, schema_editor):
    Decision, PlanPart = apps.get_model("rehab", "ProgressionDecision"), apps.get_model("rehab", "PlanPart")
    for batch in _batches(Decision.objects.filter(rule_index="").order_by("pk")):
        parts, rationales = {}, {}
        for decision in batch:
            index = {}
            _each_dose(decision, lambda dose, index=index: _without_texts(dose, index, rationales))
            decision.rule_index = _digest(KIND, index)
            parts[decision.rule_index] = (KIND, index)
        parts.update({key: (RATIONALE, body) for key, body in rationales.items()})
        stored = set(PlanPart.objects.filter(digest__in=list(parts)).values_list("digest", flat=True))
        PlanPart.objects.bulk_create(
            [PlanPart(digest=key, kind=kind, body=body) for key, (kind, body) in parts.items() if key not in stored]
        )
        Decision.objects.bulk_update(batch, ["doses_before", "doses_after", "carry", "rule_index"])


def rule_texts_back_to_doses(apps, schema_editor):
    Decision, PlanPart = apps.get_model("rehab", "ProgressionDecision"), apps.get_model("rehab", "PlanPart")
    for batch in _batches(Decision.objects.exclude(rule_index="").order_by("pk")):
        wanted = {d.rule_index for d in batch}
        for decision in batch:
            wanted |= {dose["rationale"] for dose in _stored_doses(decision) if isinstance(dose.get("rationale"), str)}
        bodies = dict(PlanPart.objects.filter(digest__in=wanted).values_list("digest", "body"))
        for decision in batch:
            index = bodies[decision.rule_index]
            _each_dose(decision, lambda dose, index=index: _with_texts(dose, index, bodies))
        Decision.objects.bulk_update(batch, ["doses_before", "doses_after", "carry"])


class Migration(migrations.Migration):
    dependencies = [
        ("rehab", "0020_exercise_translations"),
    ]

    operations = [
        migrations.AddField(
            model_name="progressiondecision",
            name="rule_index",
            field=models.CharField(
                blank=True,
                help_text="Digest of the PlanPart holding the texts of the rules its doses (and carried doses) cite.",
                max_length=32,
            ),
        ),
        migrations.RunPython(rule_texts_to_parts, rule_texts_back_to_doses, elidable=False),
    ]
