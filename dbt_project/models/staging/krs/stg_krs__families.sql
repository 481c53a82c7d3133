-- One row per keluarga sasaran and verification of BKKBN Verval KRS, with the risk codes as
-- BKKBN codes them (water, latrine: 1 layak, 2 tidak layak; 4T: 1 tidak, 2 ya, 3 tidak berlaku).
with source as (
    select * from {{ source('raw', 'krs') }}
)

select
    row_key as verification_key,
    family_key,
    family_key_is_surrogate,
    bkkbn_family_key,
    wife_key,
    wife_age_years,
    desa_code,
    substr(desa_code, 1, 8) as kecamatan_code,
    welfare_level,
    children_count,
    has_baduta,
    has_balita,
    is_pus,
    is_pus_pregnant,
    drinking_water_code,
    latrine_code,
    too_young_code,
    too_old_code,
    too_close_code,
    too_many_code,
    risk_status as exported_risk_status,
    tpk_accompanied,
    tpk_visits,
    tpk_last_visit_date,
    genting_priority,
    verification_date,
    source_file,
    source_line
from source
