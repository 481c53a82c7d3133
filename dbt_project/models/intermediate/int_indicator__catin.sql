-- N3, catin with a health check as part of the marriage service, by desa x month of the planned
-- wedding: registered in Elsimil at least 90 days before the wedding and examined before it.
-- A wedding month is judged once the register reaches it (its last registration or check):
-- later weddings can still get their check, and a future month would be published half-counted.
with catin as (
    select * from {{ ref('stg_elsimil__catin') }}
),

register_end as (
    select max(greatest(registration_date, exam_date)) as register_end_date
    from catin
),

counted_catin as (
    select
        catin.desa_code,
        cast(date_trunc('month', catin.planned_marriage_date) as date) as wedding_month,
        {{ flag_count(
            "catin.exam_date is not null and catin.exam_date <= catin.planned_marriage_date"
            ~ " and date_diff('day', catin.registration_date, catin.planned_marriage_date) >= 90"
        ) }} as n3_numerator,
        1 as n3_denominator
    from catin
    cross join register_end
    where date_trunc('month', catin.planned_marriage_date)
        <= date_trunc('month', register_end.register_end_date)
),

{{ coverage_indicator_rows('counted_catin', ['N3'], 'wedding_month', 'month') }}
