from django.contrib import admin

from polku.core.models import CodeSetVersion, EmploymentArea, Municipality, WellbeingCounty


class CodeSetAdmin(admin.ModelAdmin):
    """Code sets come from shipped files; the admin shows them but does not edit them."""

    list_display = ["code", "name_fi", "name_sv", "name_en"]
    search_fields = ["code", "name_fi", "name_sv", "name_en"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Municipality)
class MunicipalityAdmin(CodeSetAdmin):
    list_display = ["code", "name_fi", "name_sv", "name_en", "wellbeing_county", "employment_area"]
    list_filter = ["wellbeing_county", "employment_area"]
    list_select_related = ["wellbeing_county", "employment_area"]


admin.site.register(WellbeingCounty, CodeSetAdmin)
admin.site.register(EmploymentArea, CodeSetAdmin)


@admin.register(CodeSetVersion)
class CodeSetVersionAdmin(CodeSetAdmin):
    list_display = ["codeset", "version", "sha256", "loaded_at"]
    search_fields = ["codeset"]
