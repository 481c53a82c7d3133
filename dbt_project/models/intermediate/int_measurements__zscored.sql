-- Child measurements with WHO 2006 z-scores, implausibility flags and Permenkes 2/2020 classes.
-- The logic lives in the who_zscores macro, so the tests and the benchmark run this same SQL.
{{ who_zscores(ref('stg_eppgbm__measurements')) }}
