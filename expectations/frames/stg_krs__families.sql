-- stg_krs__families (families verified for stunting risk (KRS)): rule counts per desa and month.
-- tpps.quality adds the duplicate keys and the model's schema; GX judges the counts.
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
        as rows_risk_status_unknown
from staging.stg_krs__families
group by 1, 2
