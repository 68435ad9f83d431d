"""Who is asked what: a question applies when its area and its own conditions fit the SME's profile.

Conditions (``questionnaire_model.Condition``) are AND-ed over their fields; a list field holds when the
profile's value is one of the list. Questions of a software-only area (secure development) apply only to a
company that builds software or digital products.
"""

from __future__ import annotations

from smecyber.catalog.questionnaire_model import Area, Condition, Question, Questionnaire

from .profile import Profile


def applies(cond: Condition, profile: Profile) -> bool:
    """Whether every constraint of ``cond`` holds for ``profile`` (an empty condition always holds)."""
    if cond.size_band is not None and profile.size_band not in cond.size_band:
        return False
    if cond.sector is not None and profile.sector not in cond.sector:
        return False
    if cond.builds_software is not None and profile.builds_software != cond.builds_software:
        return False
    if cond.places_products is not None and profile.places_products != cond.places_products:
        return False
    if cond.personal_data is not None and bool(profile.personal_data) != cond.personal_data:
        return False
    return cond.nis2_sector is None or bool(profile.nis2_sector) == cond.nis2_sector


def question_applies(q: Questionnaire, question: Question, profile: Profile) -> bool:
    area = q.areas.get(question.area)
    if area is not None and area.software_only and not profile.builds_software:
        return False
    return applies(question.applies, profile)


def applicable_questions(q: Questionnaire, profile: Profile) -> list[Question]:
    """The questions this SME is asked, in questionnaire order."""
    return [question for question in q.questions.values() if question_applies(q, question, profile)]


def applicable_areas(q: Questionnaire, profile: Profile) -> list[Area]:
    """The areas with at least one question for this SME, in area order."""
    used = {question.area for question in applicable_questions(q, profile)}
    return [area for area in q.areas.values() if area.id in used]
