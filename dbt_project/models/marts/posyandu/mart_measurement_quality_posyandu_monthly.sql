-- Measurement data quality per posyandu and month (WHO/UNICEF 2019), so the TPPS sees where
-- kader need training. Posyandu cells describing 1-9 children are suppressed among the posyandu
-- of the same desa and month.
{%- set counts = ['measurements', 'children', 'measurements_missing_weight',
                  'measurements_missing_length', 'measurements_missing_position',
                  'measurements_position_mismatch'] %}
{%- set rates = [
    ('missing_weight_pct', 'measurements_missing_weight', 'measurements'),
    ('missing_length_pct', 'measurements_missing_length', 'measurements'),
    ('missing_position_pct', 'measurements_missing_position', 'measurements'),
    ('position_mismatch_pct', 'measurements_position_mismatch', 'measurements_with_position'),
    ('haz_flagged_pct', 'measurements_haz_flagged', 'measurements_haz_scored'),
    ('whz_flagged_pct', 'measurements_whz_flagged', 'measurements_whz_scored'),
    ('waz_flagged_pct', 'measurements_waz_flagged', 'measurements_waz_scored'),
    ('length_digit_0_5_pct', 'length_digits_0_or_5', 'length_digits_recorded'),
    ('weight_digit_0_5_pct', 'weight_digits_0_or_5', 'weight_digits_recorded'),
    ('birth_day_heaping_pct', 'measurements_birth_day_heaped', 'measurements'),
] %}
{%- set indices = ['haz_sd', 'whz_sd', 'waz_sd', 'length_dps', 'weight_dps'] %}
with posyandu_months as (
    select
        posyandu_key,
        desa_code,
        substr(desa_code, 1, 8) as kecamatan_code,
        measurement_month,
        {%- for column in counts %}
        {{ column }},
        {%- endfor %}
        {%- for name, numerator, denominator in rates %}
        100.0 * {{ numerator }} / nullif({{ denominator }}, 0) as {{ name }},
        {%- endfor %}
        {%- for column in indices %}
        {{ column }},
        {%- endfor %}
        'administrative' as source_type
    from {{ ref('int_measurement_quality__posyandu_monthly') }}
),

published as (
    {{ suppress_small_cells(
        'posyandu_months',
        group_by=['desa_code', 'measurement_month'],
        cell_key=['posyandu_key'],
        base_count='children',
        masked_columns=counts + (rates | map('first') | list) + indices,
    ) | indent(4) }}
)

select * from published
