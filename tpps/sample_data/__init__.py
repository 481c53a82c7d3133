"""Deterministic sample exports of every TPPS programme source, with their ground truth.

``generate(config, data_dir)`` writes the exports as programme systems deliver them into
``data_dir/raw/<source>/`` and what is really true about them into ``data_dir/ground_truth/``:
the same config (seed included) gives byte-identical files. See docs/sample_data.md.
"""

from tpps.sample_data.config import PRESETS, SOURCES, SampleConfig
from tpps.sample_data.faults import CATALOGUE
from tpps.sample_data.generate import OutputNotEmpty, generate

__all__ = ["CATALOGUE", "PRESETS", "SOURCES", "OutputNotEmpty", "SampleConfig", "generate"]
