"""What error pages and error reports may show of a failed request.

Django's debug page (development and the demo) and the error reports mailed to
administrators show the local variables of every frame and the posted values. In Polku
those hold clients' personal data (a name, answers, an identity code), and the debug page
is reached by anyone who holds a questionnaire link, so neither is ever shown. The
traceback itself, the exception and the settings (cleansed as Django does) remain.
"""

from __future__ import annotations

from collections.abc import ItemsView
from types import FrameType
from typing import Any

from django.http import HttpRequest
from django.views.debug import SafeExceptionReporterFilter


class PersonalDataSafeFilter(SafeExceptionReporterFilter):
    def is_active(self, request: HttpRequest | None) -> bool:
        # Django's filter stands down when DEBUG is on; this one never does.
        return True

    def get_post_parameters(self, request: HttpRequest | None) -> dict[str, Any]:
        if request is None:
            return {}
        return dict.fromkeys(request.POST, self.cleansed_substitute)

    def get_traceback_frame_variables(
        self, request: HttpRequest | None, tb_frame: FrameType
    ) -> ItemsView[str, Any]:
        return dict.fromkeys(tb_frame.f_locals, self.cleansed_substitute).items()
