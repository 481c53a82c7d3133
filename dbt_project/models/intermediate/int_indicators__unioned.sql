-- Every computed indicator in one shape, with its catalogue target and Wilson interval,
-- unsuppressed. A new family of indicators (coverage S1-S9, N1-N11, PAUD, ...) is one more
-- int_indicator__<family> model producing the columns below, added to `indicator_models`.
{%- set indicator_models = [
    'int_indicator__nutrition',
    'int_indicator__skdn',
    'int_indicator__kia',
    'int_indicator__remaja',
    'int_indicator__imunisasi',
    'int_indicator__catin',
    'int_indicator__wash',
    'int_indicator__krs',
    'int_indicator__social_protection',
    'int_indicator__paud',
] %}
{%- set shape = ['indicator_code', 'wilayah_level', 'wilayah_code', 'parent_wilayah_code',
                 'period_type', 'period_start', 'numerator', 'denominator', 'source_type'] %}
with indicator_rows as (
    {%- for model in indicator_models %}
    select {{ shape | join(', ') }} from {{ ref(model) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

catalogue as (
    select indicator_code, name_id, name_en, target_2024_pct, better_when
    from {{ ref('indicator_catalogue') }}
)

select
    indicator_rows.*,
    catalogue.name_id as indicator_name_id,
    catalogue.name_en as indicator_name_en,
    {{ wilson_interval('numerator', 'denominator', 'value', 'ci_low', 'ci_high') }},
    catalogue.target_2024_pct as target,
    catalogue.better_when
from indicator_rows
left join catalogue
    on catalogue.indicator_code = indicator_rows.indicator_code
