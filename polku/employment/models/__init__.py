from polku.employment.models.coaching import (
    Coaching,
    CoachingContact,
    CoachingStage,
    Transition,
)
from polku.employment.models.employers import (
    ContactMode,
    ContactPurpose,
    Employer,
    EmployerContact,
    EmployerContactPerson,
    SizeBand,
)
from polku.employment.models.worktrials import EmployerFeedback, FeedbackLink, WorkTrial

__all__ = [
    "Coaching",
    "CoachingContact",
    "CoachingStage",
    "ContactMode",
    "ContactPurpose",
    "Employer",
    "EmployerContact",
    "EmployerContactPerson",
    "EmployerFeedback",
    "FeedbackLink",
    "SizeBand",
    "Transition",
    "WorkTrial",
]
