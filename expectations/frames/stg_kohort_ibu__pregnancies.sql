-- Profile of stg_kohort_ibu__pregnancies per desa and month (pregnancies of the KIA cohort),
-- validated by the GX suite of the same name: DuckDB counts the rows breaking each rule,
-- GX judges the counts. The grain keeps the frame small at any scale, and no pseudonymised
-- key leaves DuckDB.
select
    desa_code,
    cast(date_trunc('month', lmp_date) as date) as month,
    count(*) as rows,
    count(*) filter (where pregnancy_key is null or mother_key is null) as rows_key_missing,
    count(*) filter (where mother_age_years not between 10 and 60)
        as rows_mother_age_out_of_contract,
    count(*) filter (where hb_g_dl not between 2 and 25) as rows_hb_out_of_contract,
    count(*) filter (where muac_cm not between 10 and 60) as rows_muac_out_of_contract,
    count(*) filter (where anc_visits not between 0 and 6) as rows_anc_visits_out_of_range,
    count(*) filter (where para > gravida) as rows_para_above_gravida,
    count(*) filter (where delivery_date < lmp_date) as rows_delivery_before_lmp,
    -- Keys held by more than one row (a grouping DuckDB can spill to disk at any scale).
    (
        select count(*)
        from (select 1 from staging.stg_kohort_ibu__pregnancies group by pregnancy_key having count(*) > 1)
    ) as duplicate_keys,
    -- On one cell only: repeated on every cell it would be most of the frame's memory.
    case when row_number() over () = 1 then (
        select string_agg(column_name || ' ' || data_type, ', ' order by ordinal_position)
        from information_schema.columns
        where table_schema = 'staging' and table_name = 'stg_kohort_ibu__pregnancies'
    ) end as model_schema
from staging.stg_kohort_ibu__pregnancies
group by 1, 2
