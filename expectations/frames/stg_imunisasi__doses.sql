-- stg_imunisasi__doses (immunisation doses): rule counts per desa and month.
-- tpps.quality adds the duplicate keys and the model's schema; GX judges the counts.
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
        as rows_antigen_unknown
from staging.stg_imunisasi__doses
group by 1, 2
