"""Forms for measurements, built from the instrument's definition."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from polku.measures.enums import Channel, Occasion
from polku.measures.models import InstrumentVersion, Schedule
from polku.measures.texts import localized
from polku.pathways.models import Programme


class AnswerForm(forms.Form):
    """One field per item (or only for ``step``, the number of one item, when the
    questionnaire is shown a question at a time). Nothing is required here: a draft may be
    half-filled, and the service decides whether a submission is complete."""

    def __init__(
        self,
        *args: Any,
        instrument: InstrumentVersion,
        plain: bool = False,
        language: str | None = None,
        step: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        definition = instrument.definition
        for number, item in enumerate(definition.items, start=1):
            if step is not None and number != step:
                continue
            scale = definition.scales[item.scale]
            label = localized(instrument.item_text(item.code, plain=plain), language)
            label = f"{number}. {label}" if label else str(number)
            if scale.options:
                self.fields[item.code] = forms.TypedChoiceField(
                    label=label,
                    required=False,
                    coerce=int,
                    empty_value=None,
                    choices=[(o.value, localized(o.label, language)) for o in scale.options],
                    widget=forms.RadioSelect,
                )
            else:
                self.fields[item.code] = forms.IntegerField(
                    label=label,
                    required=False,
                    min_value=scale.minimum,
                    max_value=scale.maximum,
                    help_text=_("A whole number from %(min)s to %(max)s.")
                    % {"min": scale.minimum, "max": scale.maximum},
                )
            self.fields[item.code].number = number  # type: ignore[attr-defined]


NOT_OFFERED = _(
    "This instrument cannot be started. Choose one from the list: an instrument whose "
    "wording has not been entered is not offered."
)


class StartForm(forms.Form):
    """Only instruments in use that can be answered: a template whose wording has not been
    entered is neither offered nor accepted."""

    instrument = forms.ModelChoiceField(
        label=_("Instrument"),
        queryset=InstrumentVersion.objects.none(),
        error_messages={"invalid_choice": NOT_OFFERED},
    )
    occasion = forms.ChoiceField(label=_("When"), choices=Occasion.choices, initial=Occasion.AD_HOC)
    channel = forms.ChoiceField(label=_("How"), choices=Channel.choices, initial=Channel.LINK)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        in_use = InstrumentVersion.objects.filter(is_active=True)
        self.fields["instrument"].queryset = in_use.filter(  # type: ignore[attr-defined]
            pk__in=[version.pk for version in in_use if version.answerable]
        ).order_by("code", "-created_at")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Definition file (Polku JSON or FHIR Questionnaire)"),
        help_text=_("The whole file is checked first; a file with any problem changes nothing."),
    )


class WordingForm(forms.Form):
    """The wording of a template's items, per language, from the licensed source.

    Only items shipped without text get fields: ``<item code>__<language>``."""

    def __init__(self, *args: Any, instrument: InstrumentVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.groups: list[tuple[int, str, list[str]]] = []
        definition = instrument.definition
        for number, item in enumerate(definition.items, start=1):
            if item.text:
                continue
            names = []
            for language, label in settings.LANGUAGES:
                name = f"{item.code}__{language}"
                self.fields[name] = forms.CharField(
                    label=label,
                    required=False,
                    max_length=1000,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    initial=instrument.entered_texts.get(item.code, {}).get(language, ""),
                )
                names.append(name)
            self.groups.append((number, item.code, names))

    def texts(self) -> dict[str, dict[str, str]]:
        """{item code: {language: text}} from the cleaned data."""
        texts: dict[str, dict[str, str]] = {}
        for _number, code, names in self.groups:
            texts[code] = {name.rsplit("__", 1)[1]: self.cleaned_data[name] for name in names}
        return texts

    def items(self) -> list[tuple[int, str, list[forms.BoundField]]]:
        return [
            (number, code, [self[name] for name in names]) for number, code, names in self.groups
        ]


class DefinitionForm(forms.Form):
    definition = forms.CharField(
        label=_("Definition (JSON)"),
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false", "class": "code"}),
        help_text=_(
            "Items, scales, scoring, bands and licence in Polku's definition format. A changed "
            "instrument needs a new version number; answers keep the version they were given with."
        ),
    )


class ScheduleForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())
    instrument_code = forms.ChoiceField(label=_("Instrument"))
    occasion = forms.ChoiceField(
        label=_("When"),
        choices=[(value, label) for value, label in Occasion.choices if value != Occasion.AD_HOC],
    )
    months = forms.IntegerField(
        label=_("Months"),
        min_value=0,
        max_value=120,
        initial=6,
        help_text=_("Every N months from the start, or N months after exit."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["instrument_code"].choices = sorted(  # type: ignore[attr-defined]
            (
                (code, version.title)
                for code, version in InstrumentVersion.latest_in_use(answerable_only=True).items()
            ),
            key=lambda choice: choice[1],
        )


class RemoveScheduleForm(forms.Form):
    """The schedule row to remove (the value of the row's Remove button)."""

    remove = forms.ModelChoiceField(
        queryset=Schedule.objects.all(),
        error_messages={
            "required": _("Choose the row of the schedule to remove."),
            "invalid_choice": _("This row is not in the schedule (any more)."),
        },
    )
