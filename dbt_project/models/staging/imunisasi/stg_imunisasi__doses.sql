-- One row per child and vaccine dose of the immunisation register. The antigen label is reduced
-- to a code (letters and digits, upper case) so "DPT-HB-Hib 1", "DPT HB HIB 1" and "dpt-hb-hib1"
-- are the same dose. No birth date is stored: age_days at the dose is what ingest keeps.
with source as (
    select * from {{ source('raw', 'imunisasi') }}
)

select
    row_key as dose_key,
    child_key,
    child_key_is_surrogate,
    sex,
    age_days,
    desa_code,
    substr(desa_code, 1, 8) as kecamatan_code,
    vaccine,
    upper(regexp_replace(vaccine, '[^A-Za-z0-9]', '', 'g')) as antigen_code,
    vaccination_date,
    service_place,
    source_file,
    source_line
from source
