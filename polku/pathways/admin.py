from django.contrib import admin

from polku.core.names import names_form
from polku.pathways.models import Programme


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    form = names_form(Programme)
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
