"""SMEs and their domains."""

# No `from __future__ import annotations` here: ninja and pydantic read these annotations at runtime.
import uuid

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from smecyber.accounts.models import Company
from smecyber.accounts.permissions import company_or_404, visible_companies
from smecyber.assets.models import Domain
from smecyber.assets.services import DomainInputError, add_domain
from smecyber.assets.verification import verify_domain

from .lookups import caller, domain_or_404
from .pagination import Page
from .schemas import CompanyOut, DomainIn, DomainOut, ErrorOut, VerificationResultOut

router = Router(tags=["companies and domains"])


@router.get("/companies", response=list[CompanyOut], url_name="company_list", summary="List your SMEs",
            description="SMEs whose results you may see: your own, those that granted you (an advisor) access, "
                        "and, for a coordinator, those that share their results with your programme.")
@paginate(Page)
def company_list(request: HttpRequest) -> QuerySet[Company]:
    return visible_companies(caller(request)).select_related("programme").order_by("name", "id")


@router.get("/companies/{company_id}", response=CompanyOut, url_name="company_detail", summary="One SME")
def company_detail(request: HttpRequest, company_id: uuid.UUID) -> Company:
    return company_or_404(caller(request), company_id)


@router.get("/companies/{company_id}/domains", response=list[DomainOut], url_name="company_domain_list",
            summary="The SME's domains")
@paginate(Page)
def company_domain_list(request: HttpRequest, company_id: uuid.UUID) -> QuerySet[Domain]:
    company = company_or_404(caller(request), company_id)
    return company.domains.select_related("company").order_by("name")


@router.post("/companies/{company_id}/domains", response={201: DomainOut, 400: ErrorOut},
             url_name="company_domain_add", summary="Add a domain",
             description="For the SME's owners and members. The name is normalised (Unicode names become "
                         "A-labels); IP addresses, invalid names and duplicates answer 400 with the reason.")
def company_domain_add(request: HttpRequest, company_id: uuid.UUID, payload: DomainIn) -> tuple[int, object]:
    user = caller(request)
    company = company_or_404(user, company_id, need="act")
    try:
        domain = add_domain(company, payload.name, user=user, request=request)
    except DomainInputError as exc:
        return 400, {"detail": str(exc.message)}
    return 201, domain


@router.get("/domains/{domain_id}", response=DomainOut, url_name="domain_detail", summary="One domain")
def domain_detail(request: HttpRequest, domain_id: uuid.UUID) -> Domain:
    return domain_or_404(caller(request), domain_id)


@router.post("/domains/{domain_id}/verify", response=VerificationResultOut, url_name="domain_verify",
             summary="Check the domain's ownership proof",
             description="Looks for the DNS TXT record or the file under /.well-known/ (see `verification` of the "
                         "domain). `ok` tells whether the domain is now verified; `detail` says what was found.")
def domain_verify(request: HttpRequest, domain_id: uuid.UUID) -> dict[str, object]:
    user = caller(request)
    domain = domain_or_404(user, domain_id, need="act")
    result = verify_domain(domain, actor=user, request=request)
    domain.refresh_from_db()
    return {"ok": result.ok, "method": result.method, "detail": str(result.detail), "domain": domain}
