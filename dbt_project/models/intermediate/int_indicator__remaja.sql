-- S3, adolescent girls taking iron tablets, by desa x month from the school reports: girls
-- reported taking TTD over girls enrolled, summed over the schools of the desa.
with counted_school_months as (
    select
        desa_code,
        report_month,
        coalesce(girls_taking_ttd, 0) as s3_numerator,
        coalesce(girls_enrolled, 0) as s3_denominator
    from {{ ref('stg_ttd_remaja__school_months') }}
),

{{ coverage_indicator_rows('counted_school_months', ['S3'], 'report_month', 'month') }}
