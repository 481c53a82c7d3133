-- Posyandu SKDN ratios in the common indicator shape, rolled up from posyandu to kabupaten.
{%- set measures = ['children_target', 'children_with_kia', 'children_weighed', 'children_weight_up'] %}
with posyandu_months as (
    select * from {{ ref('int_skdn__posyandu_monthly') }}
),

rolled_up as (
    {{ roll_up_wilayah(
        'posyandu_months',
        group_by=['measurement_month'],
        measures=measures,
    ) | indent(4) }}
)

{{ indicator_rows(
    'rolled_up',
    [
        ('SKDN_D_S', 'children_weighed', 'children_target'),
        ('SKDN_N_D', 'children_weight_up', 'children_weighed'),
        ('SKDN_K_S', 'children_with_kia', 'children_target'),
    ],
    period_start='measurement_month',
    period_type='month',
    source_type='administrative',
) }}
