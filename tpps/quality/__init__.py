"""Data-quality gate: Great Expectations suites run on the marts before publication."""

from tpps.quality.gx_validation import (
    SuiteOutcome,
    suite_names,
    suite_parameter_queries,
    validate_dataframe,
)

__all__ = ["SuiteOutcome", "suite_names", "suite_parameter_queries", "validate_dataframe"]
