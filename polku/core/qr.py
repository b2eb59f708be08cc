"""QR codes as inline SVG, for pages that offer an address to a phone's camera."""

from __future__ import annotations

import qrcode
import qrcode.image.svg
from django.utils.safestring import SafeString, mark_safe


def qr_svg(text: str) -> SafeString:
    """``text`` as a QR code in an inline ``<svg>`` element (sized by the stylesheet).

    The element holds only the library's path data, never ``text`` itself, so it is safe
    to put in a page as it is; it carries no style or script, as the CSP requires."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage)
    return mark_safe(image.to_string(encoding="unicode"))  # noqa: S308 (generated path data only)
