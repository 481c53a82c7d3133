-- Posyandu SKDN per posyandu and month with the ratios D/S, N/D and K/S; posyandu cells with
-- 1-9 registered children are suppressed among the posyandu of the same desa and month.
{%- set counts = ['children_target', 'children_registered', 'children_with_kia', 'children_weighed',
                  'children_weight_up', 'children_weight_not_up',
                  'children_not_weighed_last_month', 'children_first_weighing'] %}
{%- set ratios = [('d_s_pct', 'children_weighed', 'children_target'),
                  ('n_d_pct', 'children_weight_up', 'children_weighed'),
                  ('k_s_pct', 'children_with_kia', 'children_target')] %}
with posyandu_months as (
    select
        *,
        substr(desa_code, 1, 8) as kecamatan_code,
        {%- for name, numerator, denominator in ratios %}
        100.0 * {{ numerator }} / nullif({{ denominator }}, 0) as {{ name }},
        {%- endfor %}
        'administrative' as source_type
    from {{ ref('int_skdn__posyandu_monthly') }}
),

published as (
    {{ suppress_small_cells(
        'posyandu_months',
        group_by=['desa_code', 'measurement_month'],
        cell_key=['posyandu_key'],
        base_count='children_registered',
        masked_columns=counts + (ratios | map('first') | list),
    ) | indent(4) }}
)

select * from published
