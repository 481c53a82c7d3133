{#- z = ((y / M)^L - 1) / (S * L), the LMS formula of the WHO Child Growth Standards. -#}
{%- macro who_lms_zscore(y, l, m, s) -%}
    (power({{ y }} / {{ m }}, {{ l }}) - 1) / ({{ s }} * {{ l }})
{%- endmacro -%}


{#-
  WHO's restricted application of the LMS method, for weight-for-age, weight-for-length/height
  and BMI-for-age (not length/height-for-age): beyond +/-3 the z-score is measured in units of
  the distance between the 2 and 3 SD curves, because the LMS tails are unreliable there.
  |z| = 3 exactly is left unchanged.
-#}
{%- macro who_restricted_zscore(zscore, y, l, m, s) -%}
    {%- set sd = {} -%}
    {%- for k in [-3, -2, 2, 3] -%}
        {%- do sd.update({k: m ~ ' * power(1 + ' ~ l ~ ' * ' ~ s ~ ' * ' ~ k ~ ', 1 / ' ~ l ~ ')'}) -%}
    {%- endfor -%}
    case
            when {{ zscore }} > 3
                then 3 + ({{ y }} - {{ sd[3] }}) / ({{ sd[3] }} - {{ sd[2] }})
            when {{ zscore }} < -3
                then -3 + ({{ y }} - {{ sd[-3] }}) / ({{ sd[-2] }} - {{ sd[-3] }})
            else {{ zscore }}
        end
{%- endmacro -%}


{#-
  WHO 2006 Child Growth Standards z-scores (HAZ, WAZ, WHZ, BMIZ) with their flags and
  Permenkes 2/2020 classes, for every row of `relation` (a model, source or CTE name), as one
  set-wise query: integer-key hash joins on the small LMS tables, no subqueries per row.

  It follows WHO's R package anthro 1.1.0: integer age in days, scored from day 0 to 1826
  (age < 60 months); +/-0.7 cm when the measured position does not fit the age, but a standing
  measurement under 9 months counts as position unknown; weight-for-length below 731 days and
  weight-for-height from 731 days, chosen by age, on the adjusted length, with L, M and S
  interpolated between 0.1 cm rows; z rounded to 2 decimals and flagged on the rounded value;
  oedema leaves the weight-based z-scores empty and counts as the most severe class.

  Returns the columns of `relation` plus age_months, flag_standing_under_9m, clenhei_cm,
  whz_table, bmi, haz, waz, whz, bmiz, flag_haz, flag_waz, flag_whz, flag_bmiz and
  status_tb_u, status_bb_u, status_bb_tb, status_imt_u (Indonesian) with *_en aliases.
  Helper columns start with an underscore and are dropped with DuckDB's `* exclude`.
-#}
{%- macro who_zscores(
    relation,
    sex='sex',
    age_days='age_days',
    weight_kg='weight_kg',
    length_height_cm='length_height_cm',
    measure_position='measure_position',
    oedema='oedema'
) -%}
{#- age_months < 60 with whole days: day 1826 (59.99 months) is the last scored day. -#}
{%- set last_scored_day = 1826 -%}
{%- set age_curves = ['lhfa', 'wfa', 'bmi'] -%}
{%- set helper_columns = ['_has_oedema', '_scored_age', '_length_mm', '_length_fraction'] -%}
{%- for curve in age_curves + ['wflh'] -%}
    {%- for p in ['l', 'm', 's'] -%}
        {%- do helper_columns.append('_' ~ curve ~ '_' ~ p) -%}
    {%- endfor -%}
{%- endfor -%}
{%- do helper_columns.extend(['_haz_raw', '_waz_raw', '_whz_raw', '_bmiz_raw']) -%}
with

who_lms_by_age as (
    -- One row per sex and day holding all three age curves: one join serves HAZ, WAZ and BMIZ.
    select
        sex,
        age_days,
        {%- for curve in age_curves %}{% for p in ['l', 'm', 's'] %}
        max(case when indicator = '{{ curve }}' then {{ p }} end) as _{{ curve }}_{{ p }}
        {{- "," if not loop.last or curve != age_curves[-1] }}
        {%- endfor %}{% endfor %}
    from {{ source('reference', 'who_lms_age') }}
    group by sex, age_days
),

who_lms_by_length as (
    -- Each 0.1 cm row also carries the next row, the upper end of the interpolation. The top
    -- row has no next row, so a length above the table's range gets no z-score.
    select
        cur.table_name,
        cur.sex,
        cur.length_mm,
        cur.l,
        cur.m,
        cur.s,
        nxt.l as next_l,
        nxt.m as next_m,
        nxt.s as next_s
    from {{ source('reference', 'who_lms_length') }} as cur
    left join {{ source('reference', 'who_lms_length') }} as nxt
        on nxt.table_name = cur.table_name
        and nxt.sex = cur.sex
        and nxt.length_mm = cur.length_mm + 1
),

who_positioned as (
    select
        *,
        {{ age_days }} / 30.4375 as age_months,
        coalesce({{ oedema }}, false) as _has_oedema,
        coalesce({{ age_days }} between 0 and {{ last_scored_day }}, false) as _scored_age,
        -- WHO anthro 1.1.0 judges a standing measurement under 9 months implausible: the
        -- position then counts as unknown, so no +0.7 cm.
        coalesce({{ measure_position }} = 'h' and {{ age_days }} / 30.4375 < 9, false)
            as flag_standing_under_9m
    from {{ relation }}
),

who_adjusted as (
    select
        *,
        -- Lying length reads 0.7 cm more than standing height. The curves assume lying below
        -- 731 days and standing from 731 days; an unknown position is taken as the right one.
        case
            when {{ age_days }} < 731 and {{ measure_position }} = 'h' and not flag_standing_under_9m
                then {{ length_height_cm }} + 0.7
            when {{ age_days }} >= 731 and {{ measure_position }} = 'l'
                then {{ length_height_cm }} - 0.7
            else {{ length_height_cm }}
        end as clenhei_cm,
        -- The weight-for-length/height table follows age, not position, with no fallback.
        case
            when _scored_age and {{ age_days }} < 731 then 'wfl'
            when _scored_age then 'wfh'
        end as whz_table
    from who_positioned
),

who_keyed as (
    select
        *,
        case when {{ weight_kg }} > 0 and clenhei_cm > 0
            then {{ weight_kg }} / power(clenhei_cm / 100, 2)
        end as bmi,
        -- Integer key of the 0.1 cm row at or below the length, and the position between the
        -- two rows in tenths (WHO: low = trunc(clenhei * 10) / 10, diff = (clenhei - low) / 0.1).
        -- try_cast: an absurd length finds no row instead of failing the whole model.
        try_cast(trunc(clenhei_cm * 10) as integer) as _length_mm,
        (clenhei_cm - trunc(clenhei_cm * 10) / 10) / 0.1 as _length_fraction
    from who_adjusted
),

who_matched as (
    select
        measured.*,
        {%- for curve in age_curves %}{% for p in ['l', 'm', 's'] %}
        by_age._{{ curve }}_{{ p }},
        {%- endfor %}{% endfor %}
        {%- for p in ['l', 'm', 's'] %}
        case
            when measured._length_fraction > 0
                then by_length.{{ p }}
                    + measured._length_fraction * (by_length.next_{{ p }} - by_length.{{ p }})
            else by_length.{{ p }}
        end as _wflh_{{ p }}
        {{- "," if not loop.last }}
        {%- endfor %}
    from who_keyed as measured
    left join who_lms_by_age as by_age
        on by_age.sex = measured.{{ sex }}
        and by_age.age_days = measured.{{ age_days }}
        and measured._scored_age
    left join who_lms_by_length as by_length
        on by_length.table_name = measured.whz_table
        and by_length.sex = measured.{{ sex }}
        and by_length.length_mm = measured._length_mm
),

who_raw as (
    -- A measure of 0 or less gives no z-score (WHO anthro sets it to NA), and with oedema the
    -- weight no longer reflects nutrition, so the weight-based z-scores stay empty.
    select
        *,
        case when clenhei_cm > 0 then
            {{ who_lms_zscore('clenhei_cm', '_lhfa_l', '_lhfa_m', '_lhfa_s') }}
        end as _haz_raw,
        case when {{ weight_kg }} > 0 and not _has_oedema then
            {{ who_lms_zscore(weight_kg, '_wfa_l', '_wfa_m', '_wfa_s') }}
        end as _waz_raw,
        case when {{ weight_kg }} > 0 and not _has_oedema then
            {{ who_lms_zscore(weight_kg, '_wflh_l', '_wflh_m', '_wflh_s') }}
        end as _whz_raw,
        case when not _has_oedema then
            {{ who_lms_zscore('bmi', '_bmi_l', '_bmi_m', '_bmi_s') }}
        end as _bmiz_raw
    from who_matched
),

who_scored as (
    select
        *,
        -- Length/height-for-age is not restricted (WHO anthro uses the plain formula).
        round(_haz_raw, 2) as haz,
        round({{ who_restricted_zscore('_waz_raw', weight_kg, '_wfa_l', '_wfa_m', '_wfa_s') }}, 2)
            as waz,
        round({{ who_restricted_zscore('_whz_raw', weight_kg, '_wflh_l', '_wflh_m', '_wflh_s') }}, 2)
            as whz,
        round({{ who_restricted_zscore('_bmiz_raw', 'bmi', '_bmi_l', '_bmi_m', '_bmi_s') }}, 2)
            as bmiz
    from who_raw
),

who_flagged as (
    -- Biologically implausible values (WHO/UNICEF 2019), judged on the rounded z-score.
    select
        *,
        abs(haz) > 6 as flag_haz,
        waz < -6 or waz > 5 as flag_waz,
        abs(whz) > 5 as flag_whz,
        abs(bmiz) > 5 as flag_bmiz
    from who_scored
)

select
    * exclude ({{ helper_columns | join(', ') }}),
    {%- set oedema_counts_severe = '_has_oedema and _scored_age' %}
    {{- permenkes_status('haz', 'flag_haz', 'tb_u') }},
    {{- permenkes_status('waz', 'flag_waz', 'bb_u', severe_when=oedema_counts_severe) }},
    {{- permenkes_status('whz', 'flag_whz', 'bb_tb', severe_when=oedema_counts_severe) }},
    {{- permenkes_status('bmiz', 'flag_bmiz', 'imt_u', severe_when=oedema_counts_severe) }}
from who_flagged
{%- endmacro -%}
