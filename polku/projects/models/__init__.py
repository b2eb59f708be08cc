from polku.projects.models.participants import Participant, SensitiveDetails
from polku.projects.models.plans import CommunicationItem, EvaluationQuestion
from polku.projects.models.projects import BudgetYear, FundingProgramme, Project
from polku.projects.models.reports import ReportingPeriod
from polku.projects.models.tracking import Goal, GoalAction, ProgressChange, ResultMetric

__all__ = [
    "BudgetYear",
    "CommunicationItem",
    "EvaluationQuestion",
    "FundingProgramme",
    "Goal",
    "GoalAction",
    "Participant",
    "ProgressChange",
    "Project",
    "ReportingPeriod",
    "ResultMetric",
    "SensitiveDetails",
]
