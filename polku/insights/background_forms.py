"""The form that uploads a file of background figures."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

# Larger than any table of every municipality's figures by month for years.
LARGEST_FILE = 5 * 1024 * 1024


class BackgroundImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Population by year, or jobseekers by month, as Statistics Finland's PxWeb "
            "tables and the employment service statistics export them. A file with any bad "
            "row loads nothing."
        ),
        error_messages={"required": _("Choose the file to load.")},
    )
    source = forms.CharField(
        label=_("Source"),
        help_text=_("Where the figures come from, such as the statistics table and its date."),
        max_length=500,
        required=False,
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: check the file and tell what it would change, but load nothing"),
        required=False,
        initial=True,
    )

    def clean_file(self) -> forms.Field:
        upload = self.cleaned_data["file"]
        if upload.size > LARGEST_FILE:
            raise forms.ValidationError(
                _("The file is larger than %(megabytes)s MB.")
                % {"megabytes": LARGEST_FILE // (1024 * 1024)}
            )
        return upload
