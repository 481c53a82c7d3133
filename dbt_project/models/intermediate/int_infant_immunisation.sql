-- One row per child of the immunisation register: the basic antigens (IDL) given before the first
-- birthday and the month of that birthday. A child is judged in the month it turns one, and only
-- when the register covers its whole first year (first birthday at least 12 months after the
-- register's first month) and the month lies within the register.
{%- set antigens = basic_immunisation_antigens() %}
with registered_doses as (
    select
        *,
        -- Used only to link keys below; never leaves this model.
        vaccination_date - age_days as birth_date
    from {{ ref('stg_imunisasi__doses') }}
),

nik_keys as (
    -- A newborn is registered before it has a NIK (surrogate key: name, birth date, sex, desa)
    -- and under its NIK later, so one child has two keys. The surrogate doses join the child's
    -- NIK key when exactly one NIK-keyed child of that desa, sex and birth date exists; with two
    -- (twins) nothing is merged.
    select desa_code, sex, birth_date, any_value(child_key) as nik_child_key
    from registered_doses
    where not child_key_is_surrogate
    group by desa_code, sex, birth_date
    having count(distinct child_key) = 1
),

doses as (
    select
        registered_doses.* replace (
            case when registered_doses.child_key_is_surrogate
                then coalesce(nik_keys.nik_child_key, registered_doses.child_key)
                else registered_doses.child_key
            end as child_key
        )
    from registered_doses
    left join nik_keys
        on nik_keys.desa_code = registered_doses.desa_code
        and nik_keys.sex = registered_doses.sex
        and nik_keys.birth_date = registered_doses.birth_date
),

register_window as (
    select
        cast(date_trunc('month', min(vaccination_date)) + interval 12 month as date) as first_judged_month,
        cast(date_trunc('month', max(vaccination_date)) as date) as last_judged_month
    from doses
),

children as (
    select
        child_key,
        -- The desa of the latest dose: where the child lives now.
        arg_max(desa_code, vaccination_date) as desa_code,
        -- Only the month of the first birthday leaves this model.
        min(birth_date + 365) as first_birthday,
        count(distinct antigen_code) filter (
            where age_days < 365
            and antigen_code in ('{{ antigens | join("', '") }}')
        ) as basic_antigens_before_one
    from doses
    group by child_key
)

select
    children.child_key,
    children.desa_code,
    cast(date_trunc('month', children.first_birthday) as date) as first_birthday_month,
    children.basic_antigens_before_one,
    children.basic_antigens_before_one = {{ antigens | length }} as is_fully_immunised,
    coalesce(
        date_trunc('month', children.first_birthday)
            between register_window.first_judged_month and register_window.last_judged_month,
        false
    ) as is_judged
from children
cross join register_window
