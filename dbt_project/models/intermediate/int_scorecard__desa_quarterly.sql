-- The village convergence scorecard per desa x quarter, unsuppressed: per indicator of
-- scorecard_indicators() the sasaran who received the service and those who should have, and the
-- tingkat konvergensi = sum received / sum expected x 100 over the indicators with sasaran.
-- Each sasaran counts once per indicator in the quarter its service is judged:
--   bumil indicators: pregnancies delivered in the quarter (ANC and TTD are whole-pregnancy
--   services; nifas only once the 42 days have passed), their household by the latest STBM visit
--   of the family up to the end of the delivery year (no visit: not counted);
--   infants: turning one in the quarter (int_infant_immunisation);
--   children 0-23 months: measured in e-PPGBM in the quarter, received when measured in every
--   delivered month of the quarter;
--   PAUD: the yearly list, in the quarter of its reference date (31 December).
{%- set indicators = scorecard_indicators() %}
with episodes as (
    select *, cast(date_trunc('quarter', delivery_date) as date) as quarter_start
    from {{ ref('int_pregnancy_episodes') }}
    where is_delivered
),

household_visits as (
    select * from {{ ref('stg_stbm__households') }}
),

episode_households as (
    select
        episodes.pregnancy_key,
        arg_max({{ has_improved_drinking_water('visits.drinking_water_source_normalised') }},
            visits.verification_date) as has_safe_water,
        arg_max({{ has_improved_sanitation('visits.closet_type_normalised',
            'visits.final_disposal_normalised', 'visits.desa_code') }},
            visits.verification_date) as has_latrine
    from episodes
    inner join household_visits as visits
        on visits.family_key = episodes.family_key
        and year(visits.verification_date) <= year(episodes.delivery_date)
    group by episodes.pregnancy_key
),

eppgbm_months as (
    select distinct measurement_month from {{ ref('stg_eppgbm__measurements') }}
),

quarter_months as (
    select cast(date_trunc('quarter', measurement_month) as date) as quarter_start,
        count(*) as delivered_months
    from eppgbm_months
    group by all
),

child_quarters as (
    select
        child_key,
        cast(date_trunc('quarter', measurement_month) as date) as quarter_start,
        arg_max(desa_code, measurement_date) as desa_code,
        min(age_days) as youngest_age_days,
        count(distinct measurement_month) as months_measured
    from {{ ref('stg_eppgbm__measurements') }}
    group by child_key, quarter_start
),

counted_services as (
    select episodes.desa_code, episodes.quarter_start,
        {{- scorecard_service_columns({
            'anc_4': ('episodes.has_anc_4', 'true'),
            'ttd_90': ('episodes.has_ttd_90', 'true'),
            'nifas_3': ('episodes.is_nifas_period_complete and episodes.nifas_visits >= 3',
                        'episodes.is_nifas_period_complete'),
            'bumil_safe_water': ('households.has_safe_water', 'households.pregnancy_key is not null'),
            'bumil_latrine': ('households.has_latrine', 'households.pregnancy_key is not null'),
        }) }}
    from episodes
    left join episode_households as households
        on households.pregnancy_key = episodes.pregnancy_key
    union all
    select desa_code, cast(date_trunc('quarter', first_birthday_month) as date),
        {{- scorecard_service_columns({'basic_immunisation': ('is_fully_immunised', 'true')}) }}
    from {{ ref('int_infant_immunisation') }}
    where is_judged
    union all
    select child_quarters.desa_code, child_quarters.quarter_start,
        {{- scorecard_service_columns({'weighed_monthly': (
            'child_quarters.months_measured >= quarter_months.delivered_months', 'true')}) }}
    from child_quarters
    inner join quarter_months
        on quarter_months.quarter_start = child_quarters.quarter_start
    where child_quarters.youngest_age_days < 731
    union all
    select desa_code, make_date(register_year, 10, 1),
        {{- scorecard_service_columns({'paud_enrolment': ('is_enrolled', 'true')}) }}
    from {{ ref('int_paud_age_children') }}
),

desa_quarters as (
    select
        desa_code,
        quarter_start,
        {%- for indicator in indicators %}
        sum({{ indicator.name }}_received) as {{ indicator.name }}_received,
        sum({{ indicator.name }}_expected) as {{ indicator.name }}_expected,
        {%- endfor %}
        {% for indicator in indicators -%}
        sum({{ indicator.name }}_received){{ " +" if not loop.last }}
        {% endfor -%} as services_received,
        {% for indicator in indicators -%}
        sum({{ indicator.name }}_expected){{ " +" if not loop.last }}
        {% endfor -%} as services_expected
    from counted_services
    group by desa_code, quarter_start
)

select
    desa_code,
    substr(desa_code, 1, 8) as kecamatan_code,
    quarter_start,
    cast(year(quarter_start) as integer) as year,
    cast(quarter(quarter_start) as integer) as quarter,
    {%- for indicator in indicators %}
    cast({{ indicator.name }}_received as bigint) as {{ indicator.name }}_received,
    cast({{ indicator.name }}_expected as bigint) as {{ indicator.name }}_expected,
    case when {{ indicator.name }}_expected > 0
        then 100.0 * {{ indicator.name }}_received / {{ indicator.name }}_expected
    end as {{ indicator.name }}_pct,
    {%- endfor %}
    cast(
        {% for indicator in indicators -%}
        ({{ indicator.name }}_expected > 0)::integer{{ " +" if not loop.last }}
        {% endfor -%} as integer) as indicators_available,
    cast(services_received as bigint) as services_received,
    cast(services_expected as bigint) as services_expected,
    case when services_expected > 0 then 100.0 * services_received / services_expected end
        as convergence_pct
from desa_quarters
