"""Data-quality gate: Great Expectations suites on staging models and marts, before publication."""

from tpps.quality.gx_validation import (
    SuiteOutcome,
    suite_frame_query,
    suite_names,
    suite_parameter_queries,
    validate_dataframe,
    validate_model,
)

__all__ = [
    "SuiteOutcome",
    "suite_frame_query",
    "suite_names",
    "suite_parameter_queries",
    "validate_dataframe",
    "validate_model",
]
