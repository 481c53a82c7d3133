-- stg_bansos__members (social assistance household members): rule counts per desa and month.
-- tpps.quality adds the duplicate keys and the model's schema; GX judges the counts.
select
    desa_code,
    cast(date_trunc('month', register_date) as date) as month,
    count(*) as rows,
    count(*) filter (where member_key is null or person_key is null) as rows_key_missing,
    count(*) filter (where sex not in (1, 2)) as rows_sex_invalid,
    count(*) filter (where age_days not between 0 and 45000) as rows_age_out_of_contract,
    count(*) filter (where desil not between 1 and 10) as rows_desil_out_of_contract
from staging.stg_bansos__members
group by 1, 2
