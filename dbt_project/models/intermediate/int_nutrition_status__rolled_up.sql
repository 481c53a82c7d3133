-- Counts of children by nutritional status per level x wilayah x month x breakdown (total, sex,
-- age group), unsuppressed: the base of mart_nutrition_status and of the nutrition indicators.
{%- set counts = nutrition_child_counts() %}
with child_months as (
    select * from {{ ref('int_child_monthly_status') }}
),

child_breakdowns as (
    -- Each child-month once per breakdown, so every breakdown adds up to the total.
    select *, 'total' as breakdown_type, 'all' as breakdown_value from child_months
    union all
    select *, 'sex' as breakdown_type, sex_code as breakdown_value from child_months
    union all
    select *, 'age_group' as breakdown_type, age_group as breakdown_value from child_months
),

posyandu_counts as (
    select
        posyandu_key,
        desa_code,
        measurement_month,
        breakdown_type,
        breakdown_value,
        {%- for column, condition in counts %}
        count(*) filter (where {{ condition }}) as {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from child_breakdowns
    group by posyandu_key, desa_code, measurement_month, breakdown_type, breakdown_value
)

{{ roll_up_wilayah(
    'posyandu_counts',
    group_by=['measurement_month', 'breakdown_type', 'breakdown_value'],
    measures=counts | map('first') | list,
) }}
