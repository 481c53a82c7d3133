-- stg_elsimil__catin (bride-to-be (catin) screenings): rule counts per desa and month.
-- tpps.quality adds the duplicate keys and the model's schema; GX judges the counts.
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
    count(*) filter (where bmi not between 15 and 40) as rows_bmi_implausible
from staging.stg_elsimil__catin
group by 1, 2
