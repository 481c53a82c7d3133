{#-
  The tail of a WITH clause that turns counted units into coverage indicators in the common shape
  (see int_indicators__unioned). `relation` holds one row per counted unit (pregnancy, school
  month, household, family, ...) with desa_code, the period column `period_start` and, per code in
  `codes`, the columns <code>_numerator and <code>_denominator (0/1 per unit, or counts for
  aggregate reports). A unit that does not count for an indicator carries 0 for it.
  Sums to desa x period, rolls up desa -> puskesmas -> kecamatan -> kabupaten by summing
  numerators and denominators, and leaves out cells without a denominator.
  Call it after `with <relation> as (...),`.
-#}
{%- macro coverage_indicator_rows(relation, codes, period_start, period_type) -%}
{%- set measures = [] %}
{%- for code in codes %}
    {%- do measures.extend([code | lower ~ '_numerator', code | lower ~ '_denominator']) %}
{%- endfor %}
coverage_desa_cells as (
    select
        desa_code,
        {{ period_start }},
        {%- for measure in measures %}
        sum({{ measure }}) as {{ measure }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ relation }}
    group by desa_code, {{ period_start }}
),

coverage_rolled_up as (
    {{ roll_up_wilayah(
        'coverage_desa_cells',
        group_by=[period_start],
        measures=measures,
        levels=['desa', 'puskesmas', 'kecamatan', 'kabupaten'],
    ) | indent(4) }}
),

coverage_with_denominator as (
    -- A cell where nobody was due for an indicator (no KEK pregnancy that month) has no row.
    select
        * replace (
            {%- for code in codes %}
            case when {{ code | lower }}_denominator > 0 then {{ code | lower }}_numerator end
                as {{ code | lower }}_numerator{{ "," if not loop.last }}
            {%- endfor %}
        )
    from coverage_rolled_up
)

{%- set indicators = [] %}
{%- for code in codes %}
    {%- do indicators.append((code, code | lower ~ '_numerator', code | lower ~ '_denominator')) %}
{%- endfor %}
{{ indicator_rows(
    'coverage_with_denominator',
    indicators,
    period_start=period_start,
    period_type=period_type,
    source_type='administrative',
) }}
{%- endmacro -%}


{#- 0/1 for a condition, treating unknown (null) as 0: a unit counts only when it is known true. -#}
{%- macro flag_count(condition) -%}
    case when {{ condition }} then 1 else 0 end
{%- endmacro -%}


{#- First day of the year of a date, the period_start of yearly registers. -#}
{%- macro year_start(date_expression) -%}
    cast(date_trunc('year', {{ date_expression }}) as date)
{%- endmacro -%}
