"""The insights app's own data: what it imports (background figures of municipalities)
and what it is asked for (approved research studies). Everything it shows about clients
is computed from the other apps' data when it is asked for."""

from polku.insights.models.background import BackgroundFigure, BackgroundImport
from polku.insights.models.exports import ExportFormat, ExportRecord
from polku.insights.models.research import ResearchExtract, Study

__all__ = [
    "BackgroundFigure",
    "BackgroundImport",
    "ExportFormat",
    "ExportRecord",
    "ResearchExtract",
    "Study",
]
