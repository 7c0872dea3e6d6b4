from .agreements import (
    AgreementYear,
    Annex,
    MultiYearAgreement,
    SurveyResponse,
    YearReview,
    YearTranche,
)
from .presets import AgreementTermLimit, ContractingModel
from .tasks import AnalysisEvaluation, AnalysisOption, EfficiencyAnalysis, Pilot, Task

__all__ = [
    "AgreementTermLimit",
    "AgreementYear",
    "AnalysisEvaluation",
    "AnalysisOption",
    "Annex",
    "ContractingModel",
    "EfficiencyAnalysis",
    "MultiYearAgreement",
    "Pilot",
    "SurveyResponse",
    "Task",
    "YearReview",
    "YearTranche",
]
