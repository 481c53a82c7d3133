-- stg_eppgbm__measurements (e-PPGBM child measurements): rule counts per desa and month.
-- tpps.quality adds the duplicate keys and the model's schema; GX judges the counts.
select
    desa_code,
    measurement_month as month,
    count(*) as rows,
    count(*) filter (where measurement_key is null or child_key is null) as rows_key_missing,
    count(*) filter (where sex is null or sex not in (1, 2)) as rows_sex_invalid,
    count(*) filter (where age_days is null or age_days not between 0 and 1856)
        as rows_age_out_of_contract,
    count(*) filter (where weight_kg not between 0.3 and 100) as rows_weight_out_of_contract,
    count(*) filter (where length_height_cm not between 30 and 200) as rows_length_out_of_contract,
    count(*) filter (where measure_position not in ('l', 'h')) as rows_position_invalid,
    count(*) filter (where growth_code not in ('N', 'T', 'O', 'B')) as rows_growth_code_invalid,
    round(100.0 * count(*) filter (where flag_measurement_date_outside_file_month)
        / count(*), 2) as outside_file_month_pct
from staging.stg_eppgbm__measurements
group by 1, 2
