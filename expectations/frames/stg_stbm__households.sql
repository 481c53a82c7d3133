-- Profile of stg_stbm__households per desa and month (STBM household sanitation visits),
-- validated by the GX suite of the same name: DuckDB counts the rows breaking each rule,
-- GX judges the counts. The grain keeps the frame small at any scale, and no pseudonymised
-- key leaves DuckDB.
select
    desa_code,
    cast(date_trunc('month', verification_date) as date) as month,
    count(*) as rows,
    count(*) filter (where visit_key is null or family_key is null) as rows_key_missing,
    count(*) filter (where household_members not between 1 and 50) as rows_members_out_of_contract,
    count(*) filter (where drinking_water_source_normalised is null) as rows_water_source_missing,
    -- Keys held by more than one row (a grouping DuckDB can spill to disk at any scale).
    (
        select count(*)
        from (select 1 from staging.stg_stbm__households group by visit_key having count(*) > 1)
    ) as duplicate_keys,
    -- On one cell only: repeated on every cell it would be most of the frame's memory.
    case when row_number() over () = 1 then (
        select string_agg(column_name || ' ' || data_type, ', ' order by ordinal_position)
        from information_schema.columns
        where table_schema = 'staging' and table_name = 'stg_stbm__households'
    ) end as model_schema
from staging.stg_stbm__households
group by 1, 2
