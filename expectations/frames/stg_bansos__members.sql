-- Profile of stg_bansos__members per desa and month (social assistance household members),
-- validated by the GX suite of the same name: DuckDB counts the rows breaking each rule,
-- GX judges the counts. The grain keeps the frame small at any scale, and no pseudonymised
-- key leaves DuckDB.
select
    desa_code,
    cast(date_trunc('month', register_date) as date) as month,
    count(*) as rows,
    count(*) filter (where member_key is null or person_key is null) as rows_key_missing,
    count(*) filter (where sex not in (1, 2)) as rows_sex_invalid,
    count(*) filter (where age_days not between 0 and 45000) as rows_age_out_of_contract,
    count(*) filter (where desil not between 1 and 10) as rows_desil_out_of_contract,
    -- Keys held by more than one row (a grouping DuckDB can spill to disk at any scale).
    (
        select count(*)
        from (select 1 from staging.stg_bansos__members group by member_key having count(*) > 1)
    ) as duplicate_keys,
    -- On one cell only: repeated on every cell it would be most of the frame's memory.
    case when row_number() over () = 1 then (
        select string_agg(column_name || ' ' || data_type, ', ' order by ordinal_position)
        from information_schema.columns
        where table_schema = 'staging' and table_name = 'stg_bansos__members'
    ) end as model_schema
from staging.stg_bansos__members
group by 1, 2
