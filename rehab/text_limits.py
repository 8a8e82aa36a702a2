"""How much free text a user may type into each kind of field.

One place for the numbers, so the models (and through them the generated API serializers and
forms), the hand-written serializers and the page forms refuse the same input: a 400 naming the
field, and nothing stored. Generous for what each field is for; small enough that a record, a PDF
or an email stays readable and nobody can park megabytes in a note.
"""

NOTE = 2000  # check-in notes, alert acknowledgements, clearance notes
REASON = 1000  # why a dose, limit or override changed; why a plan resumed; measurement notes
RECORD_REASON = 500  # why a patient record changed
ASSESSMENT_NOTES = 4000  # findings the structured assessment cannot express
DIAGNOSIS = 200  # one diagnosis, in plain words
DIAGNOSES = 20  # diagnoses on one record
