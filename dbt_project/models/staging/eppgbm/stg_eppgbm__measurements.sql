-- One row per accepted child measurement, with stable English names and keys.
-- Posyandu and puskesmas keys are derived from the desa code plus the normalised name because
-- posyandu names repeat across desa ("Mawar", "Melati") and exports carry names, not codes.
with source as (
    select * from {{ source('raw', 'eppgbm') }}
)

select
    row_key as measurement_key,
    child_key,
    cast(sex as smallint) as sex,
    cast(age_days as integer) as age_days,
    measurement_date,
    cast(date_trunc('month', measurement_date) as date) as measurement_month,
    weight_kg,
    length_height_cm,
    measure_position,
    oedema,
    muac_cm,
    has_kia,
    growth_code,
    pmt_received_kg,
    flag_measurement_date_outside_file_month,
    desa_code,
    substr(desa_code, 1, 8) as kecamatan_code,
    desa_code || '|' || lower(trim(posyandu_name)) as posyandu_key,
    lower(trim(puskesmas_name)) as puskesmas_key,
    source_file,
    source_line
from source
