"""The only code that writes. Keyword-only functions named <thing>_<verb>, atomic.

Pages, API views, tasks and commands all call these; none of them writes on its own.
"""
