"""The self-assessment pages: start, profile, one area per step, review with comments, submit, results.

Who may do what (assessments/access_rules.py): the SME's owner and members answer; owners also ask colleagues
to answer an area; an advisor with consent (and a coordinator while the SME shares its results) reads, and the
advisor comments. Every page asks ``company_or_404`` first; an assessment of another company answers 404.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from smecyber.accounts import audit, invitations
from smecyber.accounts.models import AuditEvent, Company, Membership, User
from smecyber.accounts.permissions import Access, company_or_404
from smecyber.catalog.questionnaire_model import Question, Questionnaire
from smecyber.methodology.maturity import level_of

from . import results, services
from .forms import AssignForm, CommentForm, ProfileForm
from .models import AreaAssignment, Assessment, Comment

ANSWER_PREFIX = "q:"  # answer fields are named "q:<question id>"
SME_PEOPLE = (Access.OWNER, Access.MEMBER)
COMMENTERS = (Access.OWNER, Access.MEMBER, Access.ADVISOR)  # a coordinator reads, never comments


# --- helpers --------------------------------------------------------------------------------------------------

def _access(company: Company) -> Access:
    return company.viewer_access  # type: ignore[attr-defined,no-any-return]  (set by company_or_404)


def _assessment_or_404(company: Company, assessment_id: object) -> Assessment:
    return get_object_or_404(Assessment, pk=assessment_id, company=company)


def _audit_view(request: HttpRequest, company: Company, page: str, assessment: Assessment | None = None) -> None:
    """Someone outside the SME looked at its answers or results: the SME sees it in its audit log."""
    access = _access(company)
    if access in (Access.ADVISOR, Access.COORDINATOR):
        detail = {"page": page, "access": str(access)}
        if assessment is not None:
            detail["assessment"] = str(assessment.pk)
        audit.record(AuditEvent.Action.VIEW_RESULTS, actor=request.user, company=company, request=request,
                     detail=detail)


def step_url(assessment: Assessment, step: str) -> str:
    kwargs = {"company_id": assessment.company_id, "assessment_id": assessment.pk}
    if step == services.PROFILE_STEP:
        return reverse("assessment_profile", kwargs=kwargs)
    if step == services.REVIEW_STEP:
        return reverse("assessment_review", kwargs=kwargs)
    return reverse("assessment_step", kwargs={**kwargs, "area": step})


def continue_url(assessment: Assessment, q: Questionnaire) -> str:
    """Where "continue where you left off" goes: the stored step, or the first area still unanswered when that
    area no longer applies."""
    step = assessment.last_step or services.PROFILE_STEP
    if step in (services.PROFILE_STEP, services.REVIEW_STEP):
        return step_url(assessment, step)
    rows = services.area_progress(assessment, q)
    if any(row.area.id == step for row in rows):
        return step_url(assessment, step)
    open_area = next((row.area.id for row in rows if not row.complete), services.REVIEW_STEP)
    return step_url(assessment, open_area)


def _closed(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    messages.error(request, _("This self-assessment was submitted and can no longer be changed. Start a new one "
                              "to update your answers."))
    return redirect("assessment_result", company_id=assessment.company_id, assessment_id=assessment.pk)


def _comments_by_question(assessment: Assessment) -> dict[str, list[Comment]]:
    grouped: dict[str, list[Comment]] = defaultdict(list)
    for comment in assessment.comments.select_related("author"):
        grouped[comment.question].append(comment)
    return grouped


def _question_row(q: Questionnaire, question: Question, lang: str, answer: str | None,
                  comments: list[Comment]) -> dict[str, Any]:
    scale = q.scale_of(question)
    steps = [{"key": s.key, "label": s.text(lang).label, "meaning": s.text(lang).meaning} for s in scale.steps]
    chosen = scale.step(answer) if answer is not None else None
    text = question.text(lang)
    return {"id": question.id, "question": text.question, "help": text.help, "steps": steps, "answer": answer,
            "answer_label": chosen.text(lang).label if chosen else "", "comments": comments,
            "field": ANSWER_PREFIX + question.id, "anchor": "q-" + question.id.replace(".", "-")}


def _assignees(assessment: Assessment) -> dict[str, list[AreaAssignment]]:
    grouped: dict[str, list[AreaAssignment]] = defaultdict(list)
    for assignment in assessment.assignments.select_related("assignee").order_by("created_at"):
        grouped[assignment.area].append(assignment)
    return grouped


# --- the overview ---------------------------------------------------------------------------------------------

def _home_context(request: HttpRequest, company: Company, assign_form: AssignForm | None = None) -> dict[str, Any]:
    lang = services.lang()
    access = _access(company)
    draft = services.current_draft(company)
    context: dict[str, Any] = {
        "company": company, "draft": draft, "can_act": access in SME_PEOPLE, "is_owner": access == Access.OWNER,
    }
    if draft is not None:
        q = services.questionnaire()
        rows = services.area_progress(draft, q)
        assigned = _assignees(draft)
        context.update({
            "answered": sum(r.answered for r in rows),
            "applicable": sum(r.applicable for r in rows),
            "continue_url": continue_url(draft, q),
            "profile_url": step_url(draft, services.PROFILE_STEP),
            "review_url": step_url(draft, services.REVIEW_STEP),
            "areas": [{"id": r.area.id, "title": r.area.text(lang).title, "answered": r.answered,
                       "applicable": r.applicable, "complete": r.complete, "url": step_url(draft, r.area.id),
                       "assignments": assigned.get(r.area.id, [])} for r in rows],
            "my_assignments": [
                {"assignment": a, "title": q.areas[a.area].text(lang).title if a.area in q.areas else a.area,
                 "url": step_url(draft, a.area)}
                for a in services.assignments_for(request.user, draft)
            ],
        })
        if access == Access.OWNER:
            context["assign_form"] = assign_form or _assign_form(company, draft, q, lang)
    history = company.assessments.filter(status=Assessment.Status.SUBMITTED).select_related("submitted_by")
    context["history"] = [
        {"assessment": a, "overall": results.score_text(a.overall),
         "level": results.level_name(level_of(a.overall), lang),
         "url": reverse("assessment_result", kwargs={"company_id": company.pk, "assessment_id": a.pk})}
        for a in history.order_by("-submitted_at")
    ]
    return context


def _assign_form(company: Company, assessment: Assessment, q: Questionnaire, lang: str,
                 data: Any = None) -> AssignForm:
    areas = [(a.id, a.text(lang).title) for a in services.applicable_areas(assessment, q)]
    members = [(str(m.user_id), m.user.email)
               for m in company.memberships.select_related("user").order_by("user__email")]
    return AssignForm(data, areas=areas, members=members)


@never_cache
@login_required
def assessment_home(request: HttpRequest, company_id: object) -> HttpResponse:
    company = company_or_404(request.user, company_id)
    _audit_view(request, company, "assessment_home")
    return render(request, "assessments/home.html", _home_context(request, company))


@login_required
@require_POST
def assessment_start(request: HttpRequest, company_id: object) -> HttpResponse:
    company = company_or_404(request.user, company_id, need="act")
    existing = services.current_draft(company)
    assessment = services.start_assessment(company, request.user)
    if existing is None:
        messages.success(request, _("Your self-assessment has started. First, check a few facts about the "
                                    "company: they decide which questions you get."))
    return redirect(continue_url(assessment, services.questionnaire()))


# --- filling in -----------------------------------------------------------------------------------------------

@never_cache
@login_required
def assessment_profile(request: HttpRequest, company_id: object, assessment_id: object) -> HttpResponse:
    company = company_or_404(request.user, company_id, need="act")
    assessment = _assessment_or_404(company, assessment_id)
    if assessment.status != Assessment.Status.DRAFT:
        return _closed(request, assessment)
    q = services.questionnaire()
    lang = services.lang()
    if request.method == "POST":
        form = ProfileForm(request.POST, questionnaire=q, lang=lang)
        if form.is_valid():
            services.save_profile(assessment, form.profile_data())
            uncounted = len(services.uncounted_answers(assessment))
            if uncounted:
                messages.info(request, _("%(count)d of your answers belong to questions that no longer apply to "
                                         "this profile. They are kept, but not counted; they count again if you "
                                         "change the profile back.") % {"count": uncounted})
            messages.success(request, _("The company profile is saved."))
            areas = services.applicable_areas(assessment, q)
            return redirect(step_url(assessment, areas[0].id if areas else services.REVIEW_STEP))
        status = 400
    else:
        form = ProfileForm(initial=ProfileForm.initial_from(services.profile_of(assessment)), questionnaire=q,
                           lang=lang)
        status = 200
    answered, applicable = services.progress(assessment)
    return render(request, "assessments/profile.html", {
        "company": company, "assessment": assessment, "form": form, "answered": answered,
        "applicable": applicable, "uncounted": len(services.uncounted_answers(assessment)),
    }, status=status)


@never_cache
@login_required
def assessment_step(request: HttpRequest, company_id: object, assessment_id: object, area: str) -> HttpResponse:
    company = company_or_404(request.user, company_id, need="act")
    assessment = _assessment_or_404(company, assessment_id)
    if assessment.status != Assessment.Status.DRAFT:
        return _closed(request, assessment)
    q = services.questionnaire()
    if area not in q.areas:
        raise Http404
    areas = services.applicable_areas(assessment, q)
    ids = [a.id for a in areas]
    if area not in ids:
        messages.info(request, _("The area “%(area)s” does not apply to your company's profile.")
                      % {"area": q.areas[area].text(services.lang()).title})
        return redirect("assessment_home", company_id=company.pk)
    index = ids.index(area)
    next_step = ids[index + 1] if index + 1 < len(ids) else services.REVIEW_STEP
    error = ""
    if request.method == "POST":
        posted = {k[len(ANSWER_PREFIX):]: v for k, v in request.POST.items() if k.startswith(ANSWER_PREFIX)}
        stop = request.POST.get("action") == "stop"
        try:
            services.save_answers(assessment, posted, request.user, area=area, step=area if stop else next_step)
        except services.AssessmentClosed:
            return _closed(request, assessment)
        except services.AssessmentError as exc:
            error = str(exc)
        else:
            if stop:
                messages.success(request, _("Your answers are saved. Come back any time and continue where you "
                                            "left off."))
                return redirect("assessment_home", company_id=company.pk)
            return redirect(step_url(assessment, next_step))
    return _step_page(request, company, assessment, q, areas, index, error)


def _step_page(request: HttpRequest, company: Company, assessment: Assessment, q: Questionnaire,
               areas: list[Any], index: int, error: str) -> HttpResponse:
    lang = services.lang()
    area = areas[index]
    answers = services.answers_of(assessment)
    comments = _comments_by_question(assessment)
    applicable = {question.id for question in services.applicable_questions(assessment, q)}
    questions = [_question_row(q, question, lang, answers.get(question.id), comments.get(question.id, []))
                 for question in q.questions_in(area.id) if question.id in applicable]
    answered, total = services.progress(assessment)
    return render(request, "assessments/step.html", {
        "company": company, "assessment": assessment, "area": area, "area_text": area.text(lang),
        "questions": questions, "number": index + 1, "count": len(areas), "error": error,
        "answered": answered, "applicable": total,
        "steps": [{"id": a.id, "title": a.text(lang).title, "url": step_url(assessment, a.id),
                   "current": i == index} for i, a in enumerate(areas)],
        "previous_url": step_url(assessment, areas[index - 1].id) if index else step_url(
            assessment, services.PROFILE_STEP),
        "assignments": [a for a in services.assignments_for(request.user, assessment) if a.area == area.id],
    }, status=400 if error else 200)


# --- review, comments and submission ----------------------------------------------------------------------

def _review_page(request: HttpRequest, company: Company, assessment: Assessment, *,
                 comment_form: CommentForm | None = None, status: int = 200) -> HttpResponse:
    lang = services.lang()
    access = _access(company)
    q = services.questionnaire()
    answers = services.answers_of(assessment)
    comments = _comments_by_question(assessment)
    applicable = services.applicable_questions(assessment, q)
    is_draft = assessment.status == Assessment.Status.DRAFT
    sections = []
    for area in services.applicable_areas(assessment, q):
        rows = [_question_row(q, question, lang, answers.get(question.id), comments.get(question.id, []))
                for question in applicable if question.area == area.id]
        sections.append({"id": area.id, "title": area.text(lang).title, "questions": rows,
                         "unanswered": sum(1 for r in rows if r["answer"] is None),
                         "url": step_url(assessment, area.id) if is_draft else ""})
    unanswered = sum(s["unanswered"] for s in sections)
    can_act = access in SME_PEOPLE
    return render(request, "assessments/review.html", {
        "company": company, "assessment": assessment, "sections": sections, "is_draft": is_draft,
        "answered": len(applicable) - unanswered, "applicable": len(applicable), "unanswered": unanswered,
        "general_comments": comments.get("", []), "can_comment": access in COMMENTERS, "can_act": can_act,
        "can_submit": can_act and is_draft and unanswered == 0,
        "comment_form": comment_form, "uncounted": len(services.uncounted_answers(assessment)),
        "result_url": reverse("assessment_result", kwargs={"company_id": company.pk, "assessment_id": assessment.pk}),
    }, status=status)


@never_cache
@login_required
def assessment_review(request: HttpRequest, company_id: object, assessment_id: object) -> HttpResponse:
    company = company_or_404(request.user, company_id)
    assessment = _assessment_or_404(company, assessment_id)
    _audit_view(request, company, "assessment_review", assessment)
    return _review_page(request, company, assessment)


@login_required
@require_POST
def assessment_submit(request: HttpRequest, company_id: object, assessment_id: object) -> HttpResponse:
    company = company_or_404(request.user, company_id, need="act")
    assessment = _assessment_or_404(company, assessment_id)
    try:
        services.submit(assessment, request.user)
    except services.AssessmentClosed:
        messages.info(request, _("This self-assessment was already submitted."))
    except services.AssessmentError as exc:
        messages.error(request, str(exc))
        return redirect("assessment_review", company_id=company.pk, assessment_id=assessment.pk)
    else:
        messages.success(request, _("Thank you. Your self-assessment is submitted; here are your results. Your "
                                    "action plan is updated too."))
    return redirect("assessment_result", company_id=company.pk, assessment_id=assessment.pk)


@login_required
@require_POST
def assessment_comment(request: HttpRequest, company_id: object, assessment_id: object) -> HttpResponse:
    company = company_or_404(request.user, company_id)
    access = _access(company)
    if access not in COMMENTERS:
        raise Http404  # a coordinator may read shared results, not take part in the review
    assessment = _assessment_or_404(company, assessment_id)
    form = CommentForm(request.POST, question_ids=set(services.questionnaire().questions))
    if not form.is_valid():
        return _review_page(request, company, assessment, comment_form=form, status=400)
    qid = form.cleaned_data["question"]
    user: User = request.user  # type: ignore[assignment]
    with transaction.atomic():
        Comment.objects.create(assessment=assessment, question=qid, author=user, author_email=user.email,
                               text=form.cleaned_data["text"])
        if access == Access.ADVISOR:
            audit.record(AuditEvent.Action.VIEW_RESULTS, actor=user, company=company, request=request,
                         detail={"page": "assessment_comment", "access": str(access),
                                 "assessment": str(assessment.pk), "question": qid})
    messages.success(request, _("Your comment is added."))
    anchor = "q-" + qid.replace(".", "-") if qid else "comments"
    return redirect(step_url(assessment, services.REVIEW_STEP) + "#" + anchor)


# --- asking a colleague -----------------------------------------------------------------------------------------

@login_required
@require_POST
def assessment_assign(request: HttpRequest, company_id: object, assessment_id: object) -> HttpResponse:
    company = company_or_404(request.user, company_id, need="manage")
    assessment = _assessment_or_404(company, assessment_id)
    if assessment.status != Assessment.Status.DRAFT:
        return _closed(request, assessment)
    q = services.questionnaire()
    lang = services.lang()
    form = _assign_form(company, assessment, q, lang, data=request.POST)
    if not form.is_valid():
        messages.error(request, _("The area was not assigned: see the form below."))
        return render(request, "assessments/home.html", _home_context(request, company, form), status=400)
    area = form.cleaned_data["area"]
    title = q.areas[area].text(lang).title
    by: User = request.user  # type: ignore[assignment]
    assignee: User | None = None
    if form.cleaned_data["member"]:
        membership = company.memberships.select_related("user").get(user_id=form.cleaned_data["member"])
        assignee = membership.user
        email = assignee.email
    else:
        email = form.cleaned_data["email"].strip()
        member = company.memberships.select_related("user").filter(user__email__iexact=email).first()
        assignee = member.user if member else None
    same_person = Q(assignee__isnull=True, email__iexact=email) | (Q(assignee=assignee) if assignee else Q())
    if assessment.assignments.filter(same_person, area=area).exists():
        messages.info(request, _("%(email)s was already asked to answer “%(area)s”.") % {"email": email, "area": title})
        return redirect("assessment_home", company_id=company.pk)
    invited = assignee is None
    pending = {i.email.lower() for i in invitations.pending_invitations(company)}
    with transaction.atomic():
        if invited and email.lower() not in pending:  # a second area does not replace the open invitation's link
            invitations.invite(company, email, Membership.Role.MEMBER, by=by, request=request)
        AreaAssignment.objects.create(assessment=assessment, area=area, assignee=assignee, email=email,
                                      invited_by=by)
        services.refresh_assignments(assessment)
    _send_assignment_email(company, assessment, area, title, email, by, invited)
    if invited:
        messages.success(request, _("We invited %(email)s to join %(company)s and asked them to answer "
                                    "“%(area)s”.") % {"email": email, "company": company.name, "area": title})
    else:
        messages.success(request, _("We asked %(email)s to answer “%(area)s” and sent them the link.")
                         % {"email": email, "area": title})
    return redirect("assessment_home", company_id=company.pk)


def _send_assignment_email(company: Company, assessment: Assessment, area: str, title: str, email: str, by: User,
                           invited: bool) -> None:
    context = {"company": company, "area": title, "inviter": by, "invited": invited,
               "link": settings.SITE_URL + step_url(assessment, area)}
    subject = render_to_string("assessments/email/assignment_subject.txt", context).strip()
    body = render_to_string("assessments/email/assignment_message.txt", context)
    send_mail(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body, None, [email])


# --- results --------------------------------------------------------------------------------------------------

@never_cache
@login_required
def assessment_result(request: HttpRequest, company_id: object, assessment_id: object) -> HttpResponse:
    company = company_or_404(request.user, company_id)
    assessment = _assessment_or_404(company, assessment_id)
    if assessment.status != Assessment.Status.SUBMITTED:
        messages.info(request, _("The results appear when the self-assessment is submitted. Here is where it "
                                 "stands."))
        return redirect("assessment_review", company_id=company.pk, assessment_id=assessment.pk)
    _audit_view(request, company, "assessment_result", assessment)
    context = results.result_context(company, assessment, services.lang())
    context["can_act"] = _access(company) in SME_PEOPLE
    return render(request, "assessments/result.html", context)
