-- N3, catin with a health check as part of the marriage service, by desa x month of the planned
-- wedding: registered in Elsimil at least 90 days before the wedding and examined before it.
with counted_catin as (
    select
        desa_code,
        cast(date_trunc('month', planned_marriage_date) as date) as wedding_month,
        {{ flag_count(
            "exam_date is not null and exam_date <= planned_marriage_date"
            ~ " and date_diff('day', registration_date, planned_marriage_date) >= 90"
        ) }} as n3_numerator,
        1 as n3_denominator
    from {{ ref('stg_elsimil__catin') }}
    where planned_marriage_date is not null
),

{{ coverage_indicator_rows('counted_catin', ['N3'], 'wedding_month', 'month') }}
