-- One row per person of a DTKS/DTSEN household and yearly register. PKH and BPNT are household
-- programmes flagged on every member; PBI-JKN is per person.
with source as (
    select * from {{ source('raw', 'bansos') }}
)

select
    row_key as member_key,
    person_key,
    person_key_is_surrogate,
    family_key,
    dtks_household_key,
    age_days,
    sex,
    relationship,
    desa_code,
    substr(desa_code, 1, 8) as kecamatan_code,
    desil,
    coalesce(receives_pkh, false) as receives_pkh,
    pkh_component,
    coalesce(receives_bpnt, false) as receives_bpnt,
    coalesce(has_pbi_jkn, false) as has_pbi_jkn,
    register_date,
    cast(year(register_date) as integer) as register_year,
    source_file,
    source_line
from source
