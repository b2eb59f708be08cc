"""Supported employment and work trials: job coaching, employers, placements."""

from polku.employment.models.coaching import (
    Coaching,
    CoachingContact,
    CoachingStage,
    Transition,
)

__all__ = ["Coaching", "CoachingContact", "CoachingStage", "Transition"]
