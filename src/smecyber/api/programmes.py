"""Programmes a coordinator runs and their sweeps (batches): aggregates only, never one domain's result."""

# No `from __future__ import annotations` here: ninja and pydantic read these annotations at runtime.
import uuid

from django.db.models import Count, QuerySet
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from smecyber.accounts.models import Programme
from smecyber.accounts.permissions import coordinated_programmes
from smecyber.scans.models import Batch
from smecyber.scans.services import BatchInputError, submit_batch

from .lookups import batch_or_404, caller, programme_or_404
from .pagination import Page
from .schemas import BatchIn, BatchOut, ErrorOut, ProgrammeOut

router = Router(tags=["programmes"])


@router.get("/programmes", response=list[ProgrammeOut], url_name="programme_list",
            summary="Programmes you coordinate")
@paginate(Page)
def programme_list(request: HttpRequest) -> list[dict[str, object]]:
    programmes = (coordinated_programmes(caller(request)).select_related("organisation")
                  .annotate(n_companies=Count("companies", distinct=True)).order_by("name", "id"))
    return [{"id": p.id, "name": p.name, "description": p.description, "organisation": p.organisation.name,
             "companies": p.n_companies} for p in programmes]


@router.get("/programmes/{programme_id}/batches", response=list[BatchOut], url_name="programme_batch_list",
            summary="The programme's sweeps, newest first")
@paginate(Page)
def programme_batch_list(request: HttpRequest, programme_id: uuid.UUID) -> QuerySet[Batch]:
    programme: Programme = programme_or_404(caller(request), programme_id)
    return programme.batches.order_by("-created_at")


@router.post("/programmes/{programme_id}/batches", response={202: BatchOut, 400: ErrorOut},
             url_name="programme_batch_submit", summary="Start a sweep of a list of domains",
             description="For the programme's coordinators. Up to 10,000 names; duplicates are folded. Answers "
                         "202 with the batch; its results are only ever shown as aggregates.")
def programme_batch_submit(request: HttpRequest, programme_id: uuid.UUID, payload: BatchIn) -> tuple[int, object]:
    user = caller(request)
    programme = programme_or_404(user, programme_id)
    try:
        batch = submit_batch(programme, payload.domains, user=user, name=payload.name, request=request)
    except BatchInputError as exc:
        return 400, {"detail": str(exc.message)}
    return 202, batch


@router.get("/batches/{batch_id}", response=BatchOut, url_name="batch_detail", summary="One sweep's aggregates",
            description="Status counts and, once enough domains are done, shares over them. Never the result "
                        "of one domain.")
def batch_detail(request: HttpRequest, batch_id: uuid.UUID) -> Batch:
    return batch_or_404(caller(request), batch_id)
