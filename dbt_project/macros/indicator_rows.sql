{#-
  The common shape of every int_indicator__* model, from a rolled-up relation that holds
  numerator and denominator counts as columns: one row per indicator x level x wilayah x period.
  `indicators` is a list of (indicator_code, numerator column, denominator column); the code must
  exist in the indicator_catalogue seed. Rows without a numerator (not computable in that period,
  such as N in the first month of the data) are left out.
-#}
{%- macro indicator_rows(relation, indicators, period_start, period_type, source_type) -%}
{%- for code, numerator, denominator in indicators %}
select
    '{{ code }}' as indicator_code,
    wilayah_level,
    wilayah_code,
    parent_wilayah_code,
    '{{ period_type }}' as period_type,
    cast({{ period_start }} as date) as period_start,
    cast({{ numerator }} as double) as numerator,
    cast({{ denominator }} as double) as denominator,
    '{{ source_type }}' as source_type
from {{ relation }}
where {{ numerator }} is not null
{% if not loop.last %}
union all
{% endif %}
{%- endfor %}
{%- endmacro -%}
