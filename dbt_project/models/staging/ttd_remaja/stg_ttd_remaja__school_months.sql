-- One row per school and report month of the UKS iron-tablet (TTD) reports for adolescent girls.
with source as (
    select * from {{ source('raw', 'ttd_remaja') }}
)

select
    row_key as report_key,
    school_npsn,
    school_level,
    desa_code,
    substr(desa_code, 1, 8) as kecamatan_code,
    make_date(report_year, report_month, 1) as report_month,
    girls_enrolled,
    girls_given_ttd,
    girls_taking_ttd,
    tablets_given,
    source_file,
    source_line
from source
