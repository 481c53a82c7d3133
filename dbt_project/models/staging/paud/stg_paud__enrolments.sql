-- One row per child enrolled in a PAUD unit (Dapodik/EMIS) and yearly list. The child's home
-- desa (domisili) is where coverage counts; the unit may lie in another desa.
with source as (
    select * from {{ source('raw', 'paud') }}
)

select
    row_key as enrolment_key,
    child_key,
    child_key_is_surrogate,
    sex,
    age_days,
    home_desa_code,
    unit_desa_code,
    unit_npsn,
    unit_type,
    class_group,
    enrolment_date,
    enrolment_status,
    register_date,
    cast(year(register_date) as integer) as register_year,
    source_file,
    source_line
from source
