"""Benchmarks: figures are written to bench/*.md with the machine and the date, never asserted."""
