-- stg_kohort_ibu__pregnancies (pregnancies of the KIA cohort): rule counts per desa and month.
-- tpps.quality adds the duplicate keys and the model's schema; GX judges the counts.
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
    count(*) filter (where delivery_date < lmp_date) as rows_delivery_before_lmp
from staging.stg_kohort_ibu__pregnancies
group by 1, 2
