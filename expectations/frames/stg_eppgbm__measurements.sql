-- Profile of stg_eppgbm__measurements per desa and month (e-PPGBM child measurements),
-- validated by the GX suite of the same name: DuckDB counts the rows breaking each rule,
-- GX judges the counts. The grain keeps the frame small at any scale, and no pseudonymised
-- key leaves DuckDB.
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
        / count(*), 2) as outside_file_month_pct,
    -- Keys held by more than one row (a grouping DuckDB can spill to disk at any scale).
    (
        select count(*)
        from (select 1 from staging.stg_eppgbm__measurements group by measurement_key having count(*) > 1)
    ) as duplicate_keys,
    -- On one cell only: repeated on every cell it would be most of the frame's memory.
    case when row_number() over () = 1 then (
        select string_agg(column_name || ' ' || data_type, ', ' order by ordinal_position)
        from information_schema.columns
        where table_schema = 'staging' and table_name = 'stg_eppgbm__measurements'
    ) end as model_schema
from staging.stg_eppgbm__measurements
group by 1, 2
