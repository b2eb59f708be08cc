"""Small template helpers for accessible components."""

import re
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser
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


# The roles a stacked table's elements keep when a narrow screen shows them as blocks:
# some screen readers (VoiceOver on iOS) drop a table's semantics with its display.
_ROLES = {"thead": "rowgroup", "tbody": "rowgroup", "tfoot": "rowgroup", "tr": "row", "td": "cell"}


class _TableLabeller(HTMLParser):
    """Finds, in one rendered table, the column headers of its ``thead`` and the start
    tag of each of its elements, so that each body cell can be given its column's header
    and each element its table role."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headers: list[str] = []
        self.edits: list[tuple[int, int, str]] = []  # (offset, tag length, attributes)
        self._line_offsets: list[int] = []
        self._section = ""
        self._column = 0
        self._header_text: list[str] | None = None
        self._header_span = 1
        self._tables = 0

    def label(self, html: str) -> str:
        self._line_offsets = [0]
        for line in html.splitlines(keepends=True):
            self._line_offsets.append(self._line_offsets[-1] + len(line))
        self.feed(html)
        self.close()
        pieces, position = [], 0
        for offset, length, attributes in sorted(self.edits):
            tag = html[offset : offset + length]
            if tag.startswith("<table"):
                tag = _add_class(tag, "table--stack")
            pieces += [html[position:offset], tag[:-1].rstrip("/ ") + attributes + ">"]
            position = offset + length
        pieces.append(html[position:])
        return "".join(pieces)

    def _edit(self, attrs: list[tuple[str, str | None]], **attributes: str) -> None:
        given = {name for name, _value in attrs}
        added = "".join(
            f' {name.replace("_", "-")}="{escape(value)}"'
            for name, value in attributes.items()
            if name.replace("_", "-") not in given
        )
        line, column = self.getpos()
        offset = self._line_offsets[line - 1] + column
        self.edits.append((offset, len(self.get_starttag_text() or ""), added))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        span = int(attributes.get("colspan") or 1)
        if tag == "table":
            self._tables += 1
            if self._tables == 1:
                self._edit(attrs, role="table")
            return
        if self._tables != 1:
            return  # a table inside a cell is its own table
        if tag in ("thead", "tbody", "tfoot"):
            self._section = tag
            self._edit(attrs, role=_ROLES[tag])
        elif tag == "tr":
            self._column = 0
            self._edit(attrs, role=_ROLES[tag])
        elif tag == "th" and self._section == "thead":
            self._header_text, self._header_span = [], span
            self._edit(attrs, role="columnheader")
        elif tag == "th":
            self._edit(
                attrs, role="rowheader" if attributes.get("scope") == "row" else "columnheader"
            )
            self._column += span
        elif tag == "td":
            header = self.headers[self._column] if self._column < len(self.headers) else ""
            self._edit(attrs, role="cell", data_label=header)
            self._column += span

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._tables -= 1
        elif self._tables != 1:
            return
        elif tag == "th" and self._header_text is not None:
            header = " ".join("".join(self._header_text).split())
            self.headers += [header] * self._header_span
            self._header_text = None
        elif tag in ("thead", "tbody", "tfoot"):
            self._section = ""

    def handle_data(self, data: str) -> None:
        if self._header_text is not None:
            self._header_text.append(data)


def _add_class(tag: str, name: str) -> str:
    classes = re.search(r'class="([^"]*)"', tag)
    if classes:
        return tag.replace(classes.group(0), f'class="{classes.group(1)} {name}"', 1)
    return tag[:-1] + f' class="{name}">'


class StackedTableNode(template.Node):
    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: template.Context) -> SafeString:
        return mark_safe(_TableLabeller().label(self.nodelist.render(context)))  # noqa: S308


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
