-- WHO/UNICEF (2019) data-quality indicators of the measurements taken per posyandu and month,
-- unsuppressed. Counts are of measurements (a child measured twice counts twice), except
-- `children`, the base of small-cell suppression.
with measurements as (
    select
        *,
        coalesce(posyandu_key, desa_code || '|') as posyandu_cell,
        -- Terminal digit of values recorded to 0.1 (cm or kg): the tenths.
        cast(floor(round(length_height_cm * 100) / 10) as integer) % 10 as length_digit,
        cast(floor(round(weight_kg * 100) / 10) as integer) % 10 as weight_digit,
        -- Position as recorded, before the +/-0.7 cm adjustment: lying under 24 months
        -- (731 days), standing from 24 months.
        (measure_position = 'h' and age_days < 731)
            or (measure_position = 'l' and age_days >= 731) as is_position_mismatch,
        -- Birth date = measurement date - age. Estimated birth dates pile up on the 1st or 15th.
        extract(day from measurement_date - age_days) in (1, 15) as is_birth_day_heaped
    from {{ ref('int_measurements__zscored') }}
),

flagged as (
    select
        *,
        coalesce(flag_haz, false) as is_flagged_haz,
        coalesce(flag_whz, false) as is_flagged_whz,
        coalesce(flag_waz, false) as is_flagged_waz
    from measurements
),

posyandu_months as (
    select
        posyandu_cell as posyandu_key,
        desa_code,
        measurement_month,
        count(*) as measurements,
        count(distinct child_key) as children,
        count(*) filter (where weight_kg is null) as measurements_missing_weight,
        count(*) filter (where length_height_cm is null) as measurements_missing_length,
        count(*) filter (where measure_position is null) as measurements_missing_position,
        count(*) filter (where measure_position is not null) as measurements_with_position,
        count(*) filter (where is_position_mismatch) as measurements_position_mismatch,
        {%- for index in ['haz', 'whz', 'waz'] %}
        count({{ index }}) as measurements_{{ index }}_scored,
        count(*) filter (where is_flagged_{{ index }}) as measurements_{{ index }}_flagged,
        -- SD of the plausible z-scores: far from 1 means measurement error (wide) or copied or
        -- invented values (narrow). Below 10 values an SD says nothing about a posyandu.
        -- Rounded to 0.001: DuckDB sums floats in parallel, in an order that changes from run
        -- to run, and the last bits with it; the same exports must publish the same bytes.
        case when count({{ index }}) filter (where not is_flagged_{{ index }}) >= 10
            then round(stddev_samp({{ index }}) filter (where not is_flagged_{{ index }}), 3)
        end as {{ index }}_sd,
        {%- endfor %}
        {%- for measure, digit in [('length', 'length_digit'), ('weight', 'weight_digit')] %}
        count({{ digit }}) as {{ measure }}_digits_recorded,
        count(*) filter (where {{ digit }} in (0, 5)) as {{ measure }}_digits_0_or_5,
        -- Digit preference score (WHO anthro): 100 * sqrt(chi2 / (n * 9)) over the ten terminal
        -- digits; 0 = uniform digits, 100 = always the same digit.
        case when count({{ digit }}) > 0 then 100 * sqrt((
            {%- for d in range(10) %}
            power(count(*) filter (where {{ digit }} = {{ d }}) - count({{ digit }}) / 10.0, 2)
            {{- " +" if not loop.last }}
            {%- endfor %}
        ) / (count({{ digit }}) / 10.0) / (count({{ digit }}) * 9)) end as {{ measure }}_dps,
        {%- endfor %}
        count(*) filter (where is_birth_day_heaped) as measurements_birth_day_heaped,
        -- For the priority ranking: a measurement with any problem a kader can avoid.
        count(*) filter (
            where length_height_cm is null
                or measure_position is null
                or is_position_mismatch
                or is_flagged_haz
                or is_flagged_whz
                or is_flagged_waz
        ) as measurements_with_problem
    from flagged
    group by posyandu_cell, desa_code, measurement_month
)

select * from posyandu_months
