-- Profile of stg_krs__families per desa and month (families verified for stunting risk (KRS)),
-- validated by the GX suite of the same name: DuckDB counts the rows breaking each rule,
-- GX judges the counts. The grain keeps the frame small at any scale, and no pseudonymised
-- key leaves DuckDB.
select
    desa_code,
    cast(date_trunc('month', verification_date) as date) as month,
    count(*) as rows,
    count(*) filter (where verification_key is null or family_key is null) as rows_key_missing,
    count(*) filter (where wife_age_years not between 10 and 70) as rows_wife_age_out_of_contract,
    count(*) filter (where children_count not between 0 and 25) as rows_children_out_of_contract,
    count(*) filter (where not list_has_all(
        ['1', '2', '3'],
        [drinking_water_code, latrine_code, too_young_code, too_old_code, too_close_code,
            too_many_code]
    ))
        as rows_risk_code_invalid,
    count(*) filter (where exported_risk_status not in ('Berisiko', 'Tidak Berisiko'))
        as rows_risk_status_unknown,
    -- Keys held by more than one row (a grouping DuckDB can spill to disk at any scale).
    (
        select count(*)
        from (select 1 from staging.stg_krs__families group by verification_key having count(*) > 1)
    ) as duplicate_keys,
    -- On one cell only: repeated on every cell it would be most of the frame's memory.
    case when row_number() over () = 1 then (
        select string_agg(column_name || ' ' || data_type, ', ' order by ordinal_position)
        from information_schema.columns
        where table_schema = 'staging' and table_name = 'stg_krs__families'
    ) end as model_schema
from staging.stg_krs__families
group by 1, 2
