-- Profile of stg_imunisasi__doses per desa and month (immunisation doses),
-- validated by the GX suite of the same name: DuckDB counts the rows breaking each rule,
-- GX judges the counts. The grain keeps the frame small at any scale, and no pseudonymised
-- key leaves DuckDB.
select
    desa_code,
    cast(date_trunc('month', vaccination_date) as date) as month,
    count(*) as rows,
    count(*) filter (where dose_key is null or child_key is null) as rows_key_missing,
    count(*) filter (where sex not in (1, 2)) as rows_sex_invalid,
    count(*) filter (where age_days not between 0 and 1856) as rows_age_out_of_contract,
    count(*) filter (where antigen_code not in (
        'HB0', 'BCG', 'POLIO1', 'POLIO2', 'POLIO3', 'POLIO4',
        'DPTHBHIB1', 'DPTHBHIB2', 'DPTHBHIB3', 'IPV', 'MR'
    ))
        as rows_antigen_unknown,
    -- Keys held by more than one row (a grouping DuckDB can spill to disk at any scale).
    (
        select count(*)
        from (select 1 from staging.stg_imunisasi__doses group by dose_key having count(*) > 1)
    ) as duplicate_keys,
    -- On one cell only: repeated on every cell it would be most of the frame's memory.
    case when row_number() over () = 1 then (
        select string_agg(column_name || ' ' || data_type, ', ' order by ordinal_position)
        from information_schema.columns
        where table_schema = 'staging' and table_name = 'stg_imunisasi__doses'
    ) end as model_schema
from staging.stg_imunisasi__doses
group by 1, 2
