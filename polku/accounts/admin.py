from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from polku.accounts.models import Membership, Organisation, Unit, User
from polku.core.names import names_form

admin.site.site_header = _("Polku administration")
admin.site.site_title = _("Polku administration")
admin.site.index_title = _("Configuration")


class UnitInline(admin.TabularInline):
    model = Unit
    form = names_form(Unit)
    extra = 0
    autocomplete_fields = ["municipality"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation", "unit"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = names_form(Organisation)
    list_display = [
        "name",
        "kind",
        "municipality",
        "wellbeing_county",
        "employment_area",
        "is_active",
    ]
    list_filter = ["kind", "is_active", "wellbeing_county", "employment_area"]
    search_fields = ["name", "business_id", "municipality__name_fi"]
    autocomplete_fields = ["municipality", "wellbeing_county", "employment_area"]
    inlines = [UnitInline]
    list_select_related = ["municipality", "wellbeing_county", "employment_area"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    form = names_form(Unit)
    list_display = ["name", "organisation", "municipality", "is_active"]
    search_fields = ["name", "organisation__name"]
    autocomplete_fields = ["organisation", "municipality"]
    list_select_related = ["organisation", "municipality"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Work"), {"fields": ("title", "phone")}),
    )
    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_staff"]
    inlines = [MembershipInline]
