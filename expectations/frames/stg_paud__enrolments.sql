-- Profile of stg_paud__enrolments per desa and month (PAUD enrolments (Dapodik)),
-- validated by the GX suite of the same name: DuckDB counts the rows breaking each rule,
-- GX judges the counts. The grain keeps the frame small at any scale, and no pseudonymised
-- key leaves DuckDB.
select
    home_desa_code as desa_code,
    cast(date_trunc('month', register_date) as date) as month,
    count(*) as rows,
    count(*) filter (where enrolment_key is null or child_key is null) as rows_key_missing,
    count(*) filter (where sex not in (1, 2)) as rows_sex_invalid,
    count(*) filter (where age_days not between 0 and 7300) as rows_age_out_of_contract,
    count(*) filter (where unit_desa_code is null) as rows_unit_desa_missing,
    -- Keys held by more than one row (a grouping DuckDB can spill to disk at any scale).
    (
        select count(*)
        from (select 1 from staging.stg_paud__enrolments group by enrolment_key having count(*) > 1)
    ) as duplicate_keys,
    -- On one cell only: repeated on every cell it would be most of the frame's memory.
    case when row_number() over () = 1 then (
        select string_agg(column_name || ' ' || data_type, ', ' order by ordinal_position)
        from information_schema.columns
        where table_schema = 'staging' and table_name = 'stg_paud__enrolments'
    ) end as model_schema
from staging.stg_paud__enrolments
group by 1, 2
