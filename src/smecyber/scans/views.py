"""Scan pages (request, results, live progress) and a coordinator's batch sweeps (aggregates only)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from smecyber.accounts.models import User
from smecyber.accounts.permissions import company_or_404, programme_or_404
from smecyber.assets.lookups import domain_or_404

from . import presenting
from .aggregates import batch_aggregates, batch_progress
from .batch_input import (
    MAX_ERRORS_SHOWN,
    MAX_UPLOAD_BYTES,
    ParsedList,
    decode_upload,
    parse_domain_list,
    too_many_message,
)
from .models import Batch, Scan, ScanStatus
from .queries import diff, previous_done_scan
from .services import BatchInputError, request_scan, submit_batch
from .viewing import note_results_viewed


def scan_or_404(user: User, scan_id: object) -> Scan:
    try:
        scan = Scan.objects.select_related("domain").get(pk=scan_id)
    except (Scan.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None
    scan.domain.company = company_or_404(user, scan.domain.company_id)
    return scan


def batch_or_404(user: User, batch_id: object) -> Batch:
    try:
        batch = Batch.objects.get(pk=batch_id)
    except (Batch.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None
    batch.programme = programme_or_404(user, batch.programme_id)
    return batch


@login_required
@require_POST
def scan_request(request: HttpRequest, domain_id: object) -> HttpResponse:
    domain = domain_or_404(request.user, domain_id, need="act")  # type: ignore[arg-type]
    scan = request_scan(domain, user=request.user, request=request)  # type: ignore[arg-type]
    return redirect("scan_detail", scan_id=scan.pk)


@login_required
def scan_detail(request: HttpRequest, scan_id: object) -> HttpResponse:
    scan = scan_or_404(request.user, scan_id)  # type: ignore[arg-type]
    company = scan.domain.company
    context: dict[str, object] = {"company": company, "scan": scan, "domain": scan.domain}
    if scan.status == ScanStatus.DONE:
        findings = list(scan.findings.all())
        previous = previous_done_scan(scan)
        changes = diff(previous, scan) if previous is not None else None
        context.update({
            "grades": presenting.grade_rows(scan.grades),
            "groups": presenting.finding_groups(findings),
            "problem_count": sum(1 for f in findings if f.status in ("fail", "warn")),
            "previous": previous,
            "changes": {"new": presenting.finding_lines(changes.new),
                        "fixed": presenting.finding_lines(changes.fixed)} if changes else None,
        })
        note_results_viewed(request, company, str(scan.pk))
    return render(request, "scans/scan_detail.html", context)


@login_required
def scan_progress(request: HttpRequest, scan_id: object) -> HttpResponse:
    scan = scan_or_404(request.user, scan_id)  # type: ignore[arg-type]
    response = render(request, "scans/_progress.html", {"scan": scan})
    if scan.finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"  # htmx reloads the whole page, which then shows the results
    return response


# --- batches (a programme's coordinators) ------------------------------------------------------------------

class BatchForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of this sweep"), max_length=200, required=False,
                           help_text=gettext_lazy("For your own overview, e.g. “Members, spring”."))
    file = forms.FileField(label=gettext_lazy("CSV file"), required=False,
                           help_text=gettext_lazy("One domain per line, or domains in the first column. "
                                                  "A header row is fine."))
    names = forms.CharField(label=gettext_lazy("Or paste the domains"), required=False,
                            widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
                            help_text=gettext_lazy("One domain per line."))

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        upload = data.get("file")
        text = str(data.get("names") or "")
        if upload is not None:
            if upload.size > MAX_UPLOAD_BYTES:  # type: ignore[attr-defined]
                raise ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": MAX_UPLOAD_BYTES // 2**20})
            text = decode_upload(upload.read()) + "\n" + text  # type: ignore[attr-defined]
        if not text.strip():
            raise ValidationError(_("Upload a CSV file or paste at least one domain."))
        data["text"] = text
        return data


@login_required
def batch_list(request: HttpRequest, programme_id: object) -> HttpResponse:
    programme = programme_or_404(request.user, programme_id)  # type: ignore[arg-type]
    batches = [{"batch": b, "progress": batch_progress(b)} for b in Batch.objects.filter(programme=programme)]
    return render(request, "scans/batch_list.html", {"programme": programme, "batches": batches})


@login_required
def batch_new(request: HttpRequest, programme_id: object) -> HttpResponse:
    programme = programme_or_404(request.user, programme_id)  # type: ignore[arg-type]
    form = BatchForm(request.POST or None, request.FILES or None)
    parsed: ParsedList | None = None
    if request.method == "POST" and form.is_valid():
        parsed = parse_domain_list(str(form.cleaned_data["text"]))
        if parsed.too_many:
            form.add_error(None, too_many_message(len(parsed.names)))
        elif not parsed.errors and not parsed.names:
            form.add_error(None, _("No domain names were found in the list."))
        elif not parsed.errors:
            try:
                batch = submit_batch(programme, parsed.names, user=request.user,  # type: ignore[arg-type]
                                     name=form.cleaned_data["name"], request=request)
            except BatchInputError as exc:
                form.add_error(None, exc.message)
            else:
                count = len(parsed.names)
                messages.success(request, ngettext("The sweep of %(count)d domain has started.",
                                                   "The sweep of %(count)d domains has started.", count)
                                 % {"count": count})
                return redirect("batch_detail", batch_id=batch.pk)
    return render(request, "scans/batch_new.html", {
        "programme": programme, "form": form, "parsed": parsed,
        "errors_shown": parsed.errors[:MAX_ERRORS_SHOWN] if parsed else [],
    })


@login_required
def batch_detail(request: HttpRequest, batch_id: object) -> HttpResponse:
    batch = batch_or_404(request.user, batch_id)  # type: ignore[arg-type]
    progress = batch_progress(batch)
    return render(request, "scans/batch_detail.html", {
        "programme": batch.programme, "batch": batch, "progress": progress, "agg": batch_aggregates(batch),
        "running": progress["waiting"] > 0,
    })
