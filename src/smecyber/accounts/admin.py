"""Django admin: where platform admins set up support organisations, programmes, coordinators and advisors.

An SME's findings are deliberately not in the admin: they are shown only through permissions.py's rules.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Company, Membership, Programme, ProgrammeRole, SupportOrganisation, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "language", "alerts_enabled")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class ProgrammeInline(admin.TabularInline):
    model = Programme
    extra = 0
    fields = ["name", "open_for_signup", "require_two_factor"]
    show_change_link = True


@admin.register(SupportOrganisation)
class SupportOrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name"]
    inlines = [ProgrammeInline]


class ProgrammeRoleInline(admin.TabularInline):
    model = ProgrammeRole
    extra = 1
    autocomplete_fields = ["user"]
    verbose_name = _("coordinator or advisor")
    verbose_name_plural = _("coordinators and advisors")


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "open_for_signup", "require_two_factor", "created_at"]
    list_filter = ["open_for_signup", "require_two_factor", "organisation"]
    search_fields = ["name", "organisation__name"]
    inlines = [ProgrammeRoleInline]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    """The SME's profile and people only; its domains, scans and findings are not shown here."""

    list_display = ["name", "programme", "country", "sector", "size_band", "created_at"]
    list_filter = ["programme", "country", "size_band"]
    search_fields = ["name"]
    readonly_fields = ["shared_with_programme_at", "created_at"]  # sharing is the SME's own choice
    inlines = [MembershipInline]
