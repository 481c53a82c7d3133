{#-
  The administrative levels a posyandu- or desa-grain figure rolls up to: how each level's code
  and its parent's code are read from a row. Kemendagri codes nest, so kecamatan and kabupaten
  are prefixes of the desa code (73.17.01.2001 -> 73.17.01 -> 73.17 -> 73). A posyandu belongs
  to one desa; a puskesmas serves a list of desa, looked up in the Dinkes master (`lookup`, keyed
  by desa_code), not read from the code. The parent is the total a cell's siblings add up to:
  the group of complementary suppression.
-#}
{%- macro wilayah_levels() -%}
{{- return({
    'posyandu': {'code': 'posyandu_key', 'parent': 'desa_code'},
    'desa': {'code': 'desa_code', 'parent': 'substr(desa_code, 1, 8)'},
    'puskesmas': {'code': 'puskesmas_code', 'parent': 'substr(desa_code, 1, 5)',
                  'lookup': 'stg_master__puskesmas_desa'},
    'kecamatan': {'code': 'substr(desa_code, 1, 8)', 'parent': 'substr(desa_code, 1, 5)'},
    'kabupaten': {'code': 'substr(desa_code, 1, 5)', 'parent': 'substr(desa_code, 1, 2)'},
}) -}}
{%- endmacro -%}


{#-
  One row per level x wilayah x `group_by`, summing `measures` (counts of children, never
  percentages: a rate is recomputed from the summed numerator and denominator afterwards).
  Each input row must be counted in exactly one cell of the finest level, e.g. a child-month in
  the posyandu of its latest measurement, so the sums are exact at every level.
  Rows without a code for a level (a desa missing from the puskesmas master) drop out of that
  level only. Adds wilayah_level, wilayah_code and parent_wilayah_code.
-#}
{%- macro roll_up_wilayah(relation, group_by, measures, levels=none, measure_type='bigint') -%}
{%- set all_levels = wilayah_levels() -%}
{%- for level in levels or all_levels.keys() %}
{%- set code = all_levels[level]['code'] %}
{%- set parent = all_levels[level]['parent'] %}
{%- set lookup = all_levels[level].get('lookup') %}
select
    '{{ level }}' as wilayah_level,
    {{ code }} as wilayah_code,
    {{ parent }} as parent_wilayah_code,
    {%- for column in group_by %}
    {{ column }},
    {%- endfor %}
    {%- for measure in measures %}
    cast(sum({{ measure }}) as {{ measure_type }}) as {{ measure }}{{ "," if not loop.last }}
    {%- endfor %}
{%- if lookup %}
from (
    select cells.*, lookup.{{ code }}
    from {{ relation }} as cells
    inner join {{ ref(lookup) }} as lookup
        on lookup.desa_code = cells.desa_code
)
{%- else %}
from {{ relation }}
{%- endif %}
where {{ code }} is not null
group by {{ code }}, {{ parent }}{% for column in group_by %}, {{ column }}{% endfor %}
{% if not loop.last %}
union all
{% endif %}
{%- endfor %}
{%- endmacro -%}
