-- stg_stbm__households (STBM household sanitation visits): rule counts per desa and month.
-- tpps.quality adds the duplicate keys and the model's schema; GX judges the counts.
select
    desa_code,
    cast(date_trunc('month', verification_date) as date) as month,
    count(*) as rows,
    count(*) filter (where visit_key is null or family_key is null) as rows_key_missing,
    count(*) filter (where household_members not between 1 and 50) as rows_members_out_of_contract,
    count(*) filter (where drinking_water_source_normalised is null) as rows_water_source_missing
from staging.stg_stbm__households
group by 1, 2
