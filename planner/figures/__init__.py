"""Exercise figures: a small posed human figure per library exercise, drawn as an animated SVG
(planner.figures.svg) or as still shapes for the PDF (planner.figures.scene.absolute_shapes).

Everything here is plain Python over data (planner/data/figures.json): no Django, no I/O beyond
reading that file once.
"""
