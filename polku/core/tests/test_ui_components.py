"""The template components of polku_ui: stacked tables and the form error summary."""

from django import forms
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.template.loader import render_to_string


def render(source: str, **context: object) -> str:
    return Template("{% load polku_ui %}" + source).render(Context(context))


def test_each_body_cell_is_labelled_with_its_columns_header_and_keeps_its_role():
    html = render(
        '{% stacked_table %}<table class="table"><caption>Tiimi</caption>'
        '<thead><tr><th scope="col">Nimi</th><th scope="col">Puhelin &amp; sähköposti</th>'
        '<th scope="col"><span class="visually-hidden">Toiminnot</span></th></tr></thead>'
        '<tbody><tr><th scope="row">Maija</th><td>040 123</td><td>Poista</td></tr>'
        '<tr><td colspan="2">Ei yhteystietoja</td><td data-label="Oma">–</td></tr></tbody>'
        "<tfoot><tr><td>Yhteensä</td></tr></tfoot></table>{% endstacked_table %}"
    )

    assert html.startswith(
        '<table class="table table--stack" role="table"><caption>Tiimi</caption>'
    )
    assert '<thead role="rowgroup"><tr role="row"><th scope="col" role="columnheader">Nimi' in html
    assert '<tbody role="rowgroup"><tr role="row"><th scope="row" role="rowheader">Maija' in html
    assert '<td role="cell" data-label="Puhelin &amp; sähköposti">040 123</td>' in html
    assert '<td role="cell" data-label="Toiminnot">Poista</td>' in html
    assert '<td colspan="2" role="cell" data-label="Nimi">Ei yhteystietoja</td>' in html
    assert '<td data-label="Oma" role="cell">–</td>' in html
    assert (
        '<tfoot role="rowgroup"><tr role="row"><td role="cell" data-label="Nimi">Yhteensä' in html
    )


def test_a_header_that_carries_markup_labels_its_cells_with_its_text_only():
    html = render(
        '{% stacked_table %}<table class="table">\n  <thead><tr>\n'
        '    <th scope="col">Arvio\n      <em>T-luku</em>\n    </th></tr></thead>\n'
        "  <tbody><tr><td>50,0</td></tr></tbody>\n</table>{% endstacked_table %}"
    )

    assert '<td role="cell" data-label="Arvio T-luku">50,0</td>' in html


class PlanForm(forms.Form):
    goal = forms.CharField(label="Tavoite")
    level = forms.ChoiceField(
        label="Taso", choices=[("0", "0"), ("1", "+1")], widget=forms.RadioSelect
    )
    note = forms.CharField(label="Huomio", required=False, help_text="Vapaaehtoinen")

    def clean(self) -> dict[str, object]:
        raise ValidationError("Suunnitelma on jo tallennettu.")


def test_the_error_summary_links_each_field_error_to_its_input_and_says_the_rest():
    form = PlanForm(data={"note": "x"})
    assert not form.is_valid()

    html = render_to_string("includes/form_errors.html", {"form": form})

    assert 'role="alert"' in html
    assert '<h2 class="alert__title">' in html
    assert "<li>Suunnitelma on jo tallennettu.</li>" in html
    assert '<a href="#id_goal">Tavoite: This field is required.</a>' in html
    assert '<a href="#id_level_0">Taso: This field is required.</a>' in html
    assert "Huomio" not in html


def test_an_unbound_or_valid_form_has_no_error_summary():
    assert render_to_string("includes/form_errors.html", {"form": PlanForm()}).strip() == ""


def test_a_fields_error_is_tied_to_its_input():
    form = PlanForm(data={"note": "x"})
    form.is_valid()

    goal = render_to_string("includes/field.html", {"field": form["goal"]})
    level = render_to_string("includes/field.html", {"field": form["level"]})

    assert 'aria-describedby="id_goal_errors"' in goal
    assert 'aria-invalid="true"' in goal
    assert 'id="id_goal_errors"' in goal
    assert "id_level_errors" in level.split(">")[0]  # the group's fieldset
    assert level.count('aria-invalid="true"') == 2  # each choice of the group
