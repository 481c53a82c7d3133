"""Plain, Dagster-free building blocks of the pipeline: readers, pseudonymiser, quality, publisher."""
