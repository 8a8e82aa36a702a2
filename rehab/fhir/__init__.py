"""FHIR R4 export of plans, check-ins and measures, following the HL7 US Physical Activity IG STU1.

The builders (careplan, observations, people, safety, bundle, capability) are plain functions: they
take rows and engine objects and return FHIR JSON as dicts, with no query and no Django import.
`load` is the one module that reads the database, through the selectors' scoping, and hands the
builders everything at once (a constant number of queries, whatever the number of check-ins).
"""
