"""Small template helpers for accessible components."""

import re
from dataclasses import dataclass
from html import escape, unescape
from typing import Any

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString, mark_safe

from polku.core.languages import LanguageName, names

register = template.Library()


@register.simple_tag
def widget(field: BoundField, describe: bool = True) -> SafeString:
    """Render a field's widget tied to its help text and errors for screen readers
    (``describe=False`` where its fieldset carries the description instead)."""
    described_by = []
    if describe and field.help_text:
        described_by.append(f"{field.auto_id}_helptext")
    if describe and field.errors:
        described_by.append(f"{field.auto_id}_errors")
    attrs: dict[str, str | bool] = {}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.simple_tag
def languages() -> list[LanguageName]:
    """The languages of ``settings.LANGUAGES`` with their names, for language choices;
    unlike Django's ``get_language_info_list``, also those Django has no information on."""
    return names()


# The start and end tags of a table's structure. Rendered templates escape ">" inside
# attribute values, so a tag ends at the first ">".
_TABLE_TAG = re.compile(r"<(/?)(table|thead|tbody|tfoot|tr|th|td)\b([^>]*)>", re.IGNORECASE)
_SECTIONS = ("thead", "tbody", "tfoot")


def _label_table(html: str) -> str:
    """Give each body cell of the (outermost) table in ``html`` its column's header as
    ``data-label``, and each element its table role (some screen readers, VoiceOver on
    iOS, drop a table's semantics with its display on a narrow screen); a table inside a
    cell is left as it is. One pass over the structure's tags, without parsing the rest
    of the markup."""
    pieces: list[str] = []
    position, depth, section, column = 0, 0, "", 0
    headers: list[str] = []
    header_start: int | None = None
    header_span = 1
    for match in _TABLE_TAG.finditer(html):
        closing, tag, attributes = match.group(1), match.group(2).lower(), match.group(3)
        if closing:
            if tag == "table":
                depth -= 1
            elif depth == 1 and tag == "th" and header_start is not None:
                text = re.sub(r"<[^>]*>", "", html[header_start : match.start()])
                headers += [" ".join(unescape(text).split())] * header_span
                header_start = None
            elif depth == 1 and tag in _SECTIONS:
                section = ""
            continue
        if tag == "table":
            depth += 1
            if depth == 1:
                added = _attributes(attributes, role="table")
                pieces += [
                    html[position : match.start()],
                    _add_class(match.group(0), "table--stack")[:-1].rstrip("/ ") + added + ">",
                ]
                position = match.end()
            continue
        if depth != 1:
            continue
        spans = re.search(r'colspan="(\d+)"', attributes)
        span = int(spans.group(1)) if spans else 1
        if tag in _SECTIONS:
            section = tag
            added = _attributes(attributes, role="rowgroup")
        elif tag == "tr":
            column = 0
            added = _attributes(attributes, role="row")
        elif tag == "th" and section == "thead":
            header_start, header_span = match.end(), span
            added = _attributes(attributes, role="columnheader")
        elif tag == "th":
            row_header = re.search(r'scope="row"', attributes) is not None
            added = _attributes(attributes, role="rowheader" if row_header else "columnheader")
            column += span
        else:  # td
            header = headers[column] if column < len(headers) else ""
            added = _attributes(attributes, role="cell", data_label=header)
            column += span
        pieces += [html[position : match.start()], match.group(0)[:-1].rstrip("/ ") + added + ">"]
        position = match.end()
    pieces.append(html[position:])
    return "".join(pieces)


def _attributes(given: str, **attributes: str) -> str:
    """The attributes to add to a tag whose attributes are ``given`` (none it has already)."""
    present = {name.lower() for name in re.findall(r"([\w:-]+)\s*=", given)}
    return "".join(
        f' {name.replace("_", "-")}="{escape(value)}"'
        for name, value in attributes.items()
        if name.replace("_", "-") not in present
    )


def _add_class(tag: str, name: str) -> str:
    classes = re.search(r'class="([^"]*)"', tag)
    if classes:
        return tag.replace(classes.group(0), f'class="{classes.group(1)} {name}"', 1)
    return tag[:-1] + f' class="{name}">'


class StackedTableNode(template.Node):
    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: template.Context) -> SafeString:
        return mark_safe(_label_table(self.nodelist.render(context)))  # noqa: S308


@register.tag
def stacked_table(parser: template.base.Parser, token: template.base.Token) -> StackedTableNode:
    """``{% stacked_table %}<table>…</table>{% endstacked_table %}``: a table that becomes
    stacked rows on a narrow screen. Each body cell gets its column's header as
    ``data-label`` (shown before the value by the stylesheet, while the visually hidden
    header row still serves screen readers), so no template repeats its headers."""
    nodelist = parser.parse(("endstacked_table",))
    parser.delete_first_token()
    return StackedTableNode(nodelist)


@dataclass(frozen=True)
class ErrorLink:
    """One line of a form's error summary: what is wrong and, for a field, where."""

    message: str
    label: str = ""
    target: str = ""


def _field_target(field: BoundField) -> str:
    """The id of the input a summary link moves to: the field's own input, or the first
    of a group of choices (``id_x_0``, as Django numbers them)."""
    if field.use_fieldset:
        return f"{field.auto_id}_0"
    return field.id_for_label or field.auto_id


@register.simple_tag
def error_summary(form: Any, *row_sets: Any) -> list[ErrorLink]:
    """The errors of a form, and of any formsets of rows given, in the order of the page:
    a form-wide error as text, each field's error with a link to the field."""
    links: list[ErrorLink] = []
    for form_ in [form, *[row for rows in row_sets for row in rows.forms]]:
        if not form_ or not form_.is_bound:
            continue
        links += [ErrorLink(str(error)) for error in form_.non_field_errors()]
        for field in form_:
            # A hidden field has nowhere to move to: its error is said as text.
            links += [
                ErrorLink(str(error))
                if field.is_hidden
                else ErrorLink(str(error), str(field.label), _field_target(field))
                for error in field.errors
            ]
    for rows in row_sets:
        links += [ErrorLink(str(error)) for error in rows.non_form_errors()]
    return links
