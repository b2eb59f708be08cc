"""What the access log names: the events that services write."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.TextChoices):
    """The act behind a write, as the service that made it names it. Reads have none."""

    CLIENT_REGISTERED = "client_registered", _("Client registered")
    BASIC_DETAILS_CHANGED = "basic_details_changed", _("Basic details changed")
    RELATIONSHIP_STARTED = "relationship_started", _("Service relationship started")
    RELATIONSHIP_ENDED = "relationship_ended", _("Service relationship ended")
    CONSENT_RECORDED = "consent_recorded", _("Consent recorded")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
    CONSENT_RECORDED_AGAIN = "consent_recorded_again", _("Withdrawn consent recorded again")
    RELATIONSHIP_RESTORED = "relationship_restored", _("Service relationship restored")
    CLIENTS_MERGED = "clients_merged", _("Client records merged")
    NON_DISCLOSURE_SET = "non_disclosure_set", _("Non-disclosure for personal safety set")
    NON_DISCLOSURE_LIFTED = "non_disclosure_lifted", _("Non-disclosure for personal safety lifted")
    ACCESS_LOG_EXPORTED = "access_log_exported", _("Access log exported")
    EPISODE_STARTED = "episode_started", _("Episode started")
    EPISODE_ENDED = "episode_ended", _("Episode ended")
    EPISODE_REOPENED = "episode_reopened", _("Episode reopened")
    PHASE_CHANGED = "phase_changed", _("Phase changed")
    CASE_MANAGER_ASSIGNED = "case_manager_assigned", _("Case manager assigned")
    HANDOVER_PROPOSED = "handover_proposed", _("Handover proposed")
    HANDOVER_ANSWERED = "handover_answered", _("Handover answered")
    TEAM_MEMBER_ADDED = "team_member_added", _("Team member added")
    TEAM_MEMBER_REMOVED = "team_member_removed", _("Team member removed")
    PLAN_SAVED = "plan_saved", _("Plan saved")
    PLAN_REVIEWED = "plan_reviewed", _("Plan reviewed")
    PLAN_ACTION_DONE = "plan_action_done", _("Plan action marked done")
    PLAN_ACTION_REOPENED = "plan_action_reopened", _("Plan action marked not done")
    JOURNAL_ENTRY_ADDED = "journal_entry_added", _("Journal entry added")
    REFERRAL_SENT = "referral_sent", _("Referral sent")
    REFERRAL_RECEIVED = "referral_received", _("Referral marked received")
    REFERRAL_ACCEPTED = "referral_accepted", _("Referral accepted")
    REFERRAL_DECLINED = "referral_declined", _("Referral declined")
    REFERRAL_CLOSED = "referral_closed", _("Referral closed")
    MEASUREMENT_STARTED = "measurement_started", _("Measurement started")
    MEASUREMENT_ANSWERED = "measurement_answered", _("Measurement answered")
    ANSWER_LINK_SENT = "answer_link_sent", _("Answer link created")
    ANSWER_LINK_DELIVERED = "answer_link_delivered", _("Answer link sent to the client")
    COACHING_STARTED = "coaching_started", _("Job coaching started")
    COACHING_STAGE_CHANGED = "coaching_stage_changed", _("Job coaching stage changed")
    COACHING_PROFILE_UPDATED = "coaching_profile_updated", _("Job coaching profile updated")
    COACHING_CONTACT_RECORDED = "coaching_contact_recorded", _("Job coaching contact recorded")
    COACHING_ENDED = "coaching_ended", _("Job coaching ended")
    TRANSITION_RECORDED = "transition_recorded", _("Transition recorded")
    PLACEMENT_STARTED = "placement_started", _("Placement started")
    PLACEMENT_ENDED = "placement_ended", _("Placement ended")
    WORK_TRIAL_ARRANGED = "work_trial_arranged", _("Work trial arranged")
    WORK_TRIAL_UPDATED = "work_trial_updated", _("Work trial updated")
    FEEDBACK_LINK_SENT = "feedback_link_sent", _("Employer feedback link sent")
    FEEDBACK_LINK_WITHDRAWN = "feedback_link_withdrawn", _("Employer feedback link withdrawn")
    EMPLOYER_FEEDBACK_SAVED = "employer_feedback_saved", _("Employer feedback saved as a draft")
    EMPLOYER_FEEDBACK_SUBMITTED = "employer_feedback_submitted", _("Employer feedback sent")
    FEEDBACK_LINK_REFUSED = "feedback_link_refused", _("Employer feedback link refused")
    PARTICIPANT_ENROLLED = "participant_enrolled", _("Enrolled in a project")
    PARTICIPANT_ENTRY_CHANGED = "participant_entry_changed", _("Project entry details changed")
    SENSITIVE_DETAILS_RECORDED = (
        "sensitive_details_recorded",
        _("Sensitive participant details recorded"),
    )
    PARTICIPANT_EXIT_RECORDED = "participant_exit_recorded", _("Project exit recorded")
    PARTICIPANT_FOLLOW_UP_RECORDED = (
        "participant_follow_up_recorded",
        _("Project follow-up recorded"),
    )
    PARTICIPANT_EXPORTED = "participant_exported", _("Project participants exported")
