"""Plain, Dagster-free building blocks: readers, pseudonymiser, quality gate, publisher."""
