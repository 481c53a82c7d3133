-- S9, imunisasi dasar lengkap, by desa x month of the first birthday: children turning one whose
-- register shows every basic antigen given before that birthday.
with counted_infants as (
    select
        desa_code,
        first_birthday_month,
        {{ flag_count('is_fully_immunised') }} as s9_numerator,
        1 as s9_denominator
    from {{ ref('int_infant_immunisation') }}
    where is_judged
),

{{ coverage_indicator_rows('counted_infants', ['S9'], 'first_birthday_month', 'month') }}
