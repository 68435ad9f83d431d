"""The self-assessment methodology, free of Django: who is asked what (applicability), maturity scores,
the peer benchmark, NIS2 applicability, CRA readiness and the one action plan merging answers and findings.

The web platform (``smecyber.assessments``) and ``smecyber assess`` both call these functions; the rules are
documented in docs/methodology.md.
"""
