-- Nutritional status of children under five (e-PPGBM, administrative) per level x wilayah x
-- month x breakdown, with prevalences and Wilson 95% intervals; desa cells suppressed.
{%- set indicators = nutrition_indicators() %}
{%- set rate_columns = [] %}
{%- for indicator in indicators %}
    {%- do rate_columns.extend([
        indicator.prefix ~ '_pct', indicator.prefix ~ '_ci_low', indicator.prefix ~ '_ci_high'
    ]) %}
{%- endfor %}
with rolled_up as (
    select * from {{ ref('int_nutrition_status__rolled_up') }}
),

published_cells as (
    -- Desa cells are published as totals only: split by sex or by six age groups most desa
    -- cells would hold 1-9 children, and a sex split next to its published total would give the
    -- hidden half away by subtraction. Breakdowns start at kecamatan; posyandu is too small.
    select *
    from rolled_up
    where wilayah_level <> 'posyandu'
        and (wilayah_level <> 'desa' or breakdown_type = 'total')
),

with_prevalence as (
    select
        *,
        {%- for indicator in indicators %}
        {{ wilson_interval(
            indicator.numerator,
            indicator.denominator,
            indicator.prefix ~ '_pct',
            indicator.prefix ~ '_ci_low',
            indicator.prefix ~ '_ci_high',
        ) }},
        {%- endfor %}
        'administrative' as source_type,
        -- Only desa cells are small enough to suppress; higher levels are published whole.
        case when wilayah_level = 'desa' then children_measured end as suppression_base
    from published_cells
),

suppressed as (
    {{ suppress_small_cells(
        'with_prevalence',
        group_by=['wilayah_level', 'parent_wilayah_code', 'measurement_month', 'breakdown_type',
                  'breakdown_value'],
        cell_key=['wilayah_code'],
        base_count='suppression_base',
        masked_columns=(nutrition_child_counts() | map('first') | list) + rate_columns,
    ) | indent(4) }}
)

select * exclude (suppression_base)
from suppressed
