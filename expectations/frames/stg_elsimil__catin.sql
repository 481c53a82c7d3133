-- Profile of stg_elsimil__catin per desa and month (bride-to-be (catin) screenings),
-- validated by the GX suite of the same name: DuckDB counts the rows breaking each rule,
-- GX judges the counts. The grain keeps the frame small at any scale, and no pseudonymised
-- key leaves DuckDB.
select
    desa_code,
    cast(date_trunc('month', registration_date) as date) as month,
    count(*) as rows,
    count(*) filter (where catin_registration_key is null or person_key is null)
        as rows_key_missing,
    count(*) filter (where sex not in (1, 2)) as rows_sex_invalid,
    count(*) filter (where age_years not between 10 and 80) as rows_age_out_of_contract,
    count(*) filter (where bmi not between 8 and 80) as rows_bmi_out_of_contract,
    count(*) filter (where hb_g_dl not between 2 and 25) as rows_hb_out_of_contract,
    count(*) filter (where bmi not between 15 and 40) as rows_bmi_implausible,
    -- Keys held by more than one row (a grouping DuckDB can spill to disk at any scale).
    (
        select count(*)
        from (select 1 from staging.stg_elsimil__catin group by catin_registration_key having count(*) > 1)
    ) as duplicate_keys,
    -- On one cell only: repeated on every cell it would be most of the frame's memory.
    case when row_number() over () = 1 then (
        select string_agg(column_name || ' ' || data_type, ', ' order by ordinal_position)
        from information_schema.columns
        where table_schema = 'staging' and table_name = 'stg_elsimil__catin'
    ) end as model_schema
from staging.stg_elsimil__catin
group by 1, 2
