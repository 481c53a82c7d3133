-- One row per catin (bride- or groom-to-be) registration in Elsimil.
with source as (
    select * from {{ source('raw', 'elsimil') }}
)

select
    row_key as catin_registration_key,
    person_key,
    person_key_is_surrogate,
    registration_key,
    sex,
    age_years,
    desa_code,
    substr(desa_code, 1, 8) as kecamatan_code,
    registration_date,
    planned_marriage_date,
    exam_date,
    bmi,
    muac_cm,
    hb_g_dl,
    risk_status as exported_risk_status,
    tpk_accompanied,
    source_file,
    source_line
from source
