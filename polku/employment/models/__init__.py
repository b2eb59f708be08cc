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
from polku.employment.models.fidelity import (
    FidelityItem,
    FidelityReview,
    FidelityScore,
    FidelitySection,
    ReviewStatus,
)
from polku.employment.models.placements import Placement
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
    "FidelityItem",
    "FidelityReview",
    "FidelityScore",
    "FidelitySection",
    "Placement",
    "ReviewStatus",
    "SizeBand",
    "Transition",
    "WorkTrial",
]
