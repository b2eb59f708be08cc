"""Pathway vocabulary: phases, end reasons, referral states and their transitions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    ASSESSMENT = "assessment", _("Assessment")
    REHABILITATION = "rehabilitation", _("Rehabilitation")
    EDUCATION = "education", _("Education")
    EMPLOYMENT = "employment", _("Employment")
    FOLLOW_UP = "follow_up", _("Follow-up")


class EndReason(models.TextChoices):
    OPEN_LABOUR_MARKET = "open_labour_market", _("Work in the open labour market")
    SUBSIDISED_WORK = "subsidised_work", _("Subsidised work")
    EDUCATION = "education", _("Education")
    REHABILITATION = "rehabilitation", _("Rehabilitation")
    PENSION = "pension", _("Pension")
    OTHER_SERVICE = "other_service", _("Another service")
    MOVED = "moved", _("Moved away")
    CLIENT_ENDED = "client_ended", _("The client ended the service")
    NO_CONTACT = "no_contact", _("No contact with the client")
    OTHER = "other", _("Other reason")


class DeclineGround(models.TextChoices):
    """Why a receiver declines a referral; the sender reads it with the explanation."""

    NOT_OUR_SERVICE = "not_our_service", _("The client's need is not within our services")
    NO_CAPACITY = "no_capacity", _("We cannot take new clients now")
    ALREADY_SERVED = "already_served", _("The client already receives this service")
    CLIENT_DECLINED = "client_declined", _("The client does not want the service")
    INFORMATION_MISSING = "information_missing", _("The referral lacks information we need")
    OTHER = "other", _("Other reason")


class Urgency(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    NORMAL = "normal", _("Normal")
    NON_URGENT = "non_urgent", _("Non-urgent")


# Days the receiver has to answer a referral.
RESPONSE_DAYS = {Urgency.URGENT: 3, Urgency.NORMAL: 14, Urgency.NON_URGENT: 30}


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


REFERRAL_TRANSITIONS: dict[ReferralStatus, frozenset[ReferralStatus]] = {
    ReferralStatus.SENT: frozenset(
        {
            ReferralStatus.RECEIVED,
            ReferralStatus.ACCEPTED,
            ReferralStatus.DECLINED,
            ReferralStatus.WITHDRAWN,
        }
    ),
    ReferralStatus.RECEIVED: frozenset(
        {ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN}
    ),
    ReferralStatus.ACCEPTED: frozenset({ReferralStatus.COMPLETED, ReferralStatus.WITHDRAWN}),
    ReferralStatus.DECLINED: frozenset(),
    ReferralStatus.COMPLETED: frozenset(),
    ReferralStatus.WITHDRAWN: frozenset(),
}
# States in which the referral's ground for its receiver has ended.
ENDED_REFERRAL = frozenset(
    {ReferralStatus.DECLINED, ReferralStatus.COMPLETED, ReferralStatus.WITHDRAWN}
)
# States in which the referral is still open.
OPEN_REFERRAL = frozenset(set(ReferralStatus) - ENDED_REFERRAL)
# States in which the receiver still owes an answer.
AWAITING_ANSWER = frozenset({ReferralStatus.SENT, ReferralStatus.RECEIVED})


class EntryType(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    PHONE_CALL = "phone_call", _("Phone call")
    MULTI_PROFESSIONAL_MEETING = "multi_professional_meeting", _("Multi-professional meeting")
    OBSERVATION = "observation", _("Observation")
    DECISION = "decision", _("Decision")


# Entries that count as contact with the client for the "no contact" alert.
CONTACT_ENTRY_TYPES = frozenset(
    {EntryType.MEETING, EntryType.PHONE_CALL, EntryType.MULTI_PROFESSIONAL_MEETING}
)


class HandoverState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


class AlertKind(models.TextChoices):
    NO_CASE_MANAGER = "no_case_manager", _("Active episode without a case manager")
    REFERRAL_OVERDUE = "referral_overdue", _("Referral unanswered past its deadline")
    NO_CONTACT = "no_contact", _("No contact with the client for too long")
    PLAN_REVIEW_OVERDUE = "plan_review_overdue", _("Plan review overdue")
    PHASE_TOO_LONG = "phase_too_long", _("Too long in one phase")
    ASSESSMENT_OVERDUE = "assessment_overdue", _("Joint assessment not finished in time")


# Goal Attainment Scaling (``pathways.gas``): the five levels, where a goal's baseline may
# sit, and the importance and difficulty that weight a goal.
GAS_LEVELS = [
    (-2, _("−2 much less than expected")),
    (-1, _("−1 somewhat less than expected")),
    (0, _("0 expected level")),
    (1, _("+1 somewhat more than expected")),
    (2, _("+2 much more than expected")),
]
GAS_BASELINE_LEVELS = [
    (-1, _("−1: the usual starting level (the situation can still get worse)")),
    (-2, _("−2: the situation is as difficult as it can be")),
    (0, _("0: the goal is to keep what the client has")),
]
GAS_IMPORTANCE = [
    (0, _("0 not at all important")),
    (1, _("1 a little important")),
    (2, _("2 moderately important")),
    (3, _("3 very important")),
]
GAS_DIFFICULTY = [
    (0, _("0 not at all difficult")),
    (1, _("1 a little difficult")),
    (2, _("2 moderately difficult")),
    (3, _("3 very difficult")),
]
