"""Pure, Dagster-free building blocks of the TPPS pipeline (readers, pseudonymiser, quality, publisher)."""
