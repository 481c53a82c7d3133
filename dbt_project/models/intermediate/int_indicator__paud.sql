-- PAUD, children aged 3-6 enrolled, by home desa x year of the PAUD list (denominator: the
-- children of that age the registers know, see int_paud_age_children).
with counted_children as (
    select
        desa_code,
        make_date(register_year, 1, 1) as period_start,
        {{ flag_count('is_enrolled') }} as paud_numerator,
        1 as paud_denominator
    from {{ ref('int_paud_age_children') }}
),

{{ coverage_indicator_rows('counted_children', ['PAUD'], 'period_start', 'year') }}
