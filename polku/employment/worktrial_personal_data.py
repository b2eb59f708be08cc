"""Work-trial data about a client (see ``core.personal_data``).

The trial's tasks and workplace, the host's comments and overall comment are personal (the
host may write of coping and health as seen at work, so the comments are special-category).
Anonymisation removes the texts and keeps dates, the purpose, the areas and the ratings.
A feedback link is exported without its token's hash, which opens nothing once exported but
is the link's secret all the same.
"""

from __future__ import annotations

from polku.core import personal_data
from polku.employment.models import EmployerFeedback, FeedbackLink, WorkTrial

personal_data.declare(WorkTrial, client_lookup="client", personal={"tasks": "", "workplace": ""})
personal_data.declare(FeedbackLink, client_lookup="trial__client", not_exported={"token_hash"})
personal_data.declare(
    EmployerFeedback,
    client_lookup="link__trial__client",
    personal={"comments": {}, "overall": ""},
    special_category={"comments", "overall"},
)
