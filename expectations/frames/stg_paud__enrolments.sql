-- stg_paud__enrolments (PAUD enrolments (Dapodik)): rule counts per desa and month.
-- tpps.quality adds the duplicate keys and the model's schema; GX judges the counts.
select
    home_desa_code as desa_code,
    cast(date_trunc('month', register_date) as date) as month,
    count(*) as rows,
    count(*) filter (where enrolment_key is null or child_key is null) as rows_key_missing,
    count(*) filter (where sex not in (1, 2)) as rows_sex_invalid,
    count(*) filter (where age_days not between 0 and 7300) as rows_age_out_of_contract,
    count(*) filter (where unit_desa_code is null) as rows_unit_desa_missing
from staging.stg_paud__enrolments
group by 1, 2
