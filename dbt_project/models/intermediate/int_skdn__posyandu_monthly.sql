-- Posyandu SKDN per posyandu and month, unsuppressed. S is the desa's sasaran balita apportioned
-- to its posyandu by their registered children, or the registered children where the desa-year
-- has no sasaran; K counts registered children with a KIA book, D those weighed in the month,
-- and N/T/O/B the growth status computed from the weights (int_child_monthly_status).
with child_months as (
    select * from {{ ref('int_child_monthly_status') }}
),

children_per_month as (
    select measurement_month, count(*) as children
    from child_months
    group by measurement_month
),

data_months as (
    -- The months an export was delivered for: at least 5% as many children as the busiest month.
    -- A few rows with day and month swapped (ingest flags them) must not open a month in which
    -- every other posyandu would show D = 0.
    select measurement_month as month
    from children_per_month
    where children >= 0.05 * (select max(children) from children_per_month)
),

data_window as (
    select min(month) as first_month
    from data_months
),

registration_spans as (
    -- A measurement registers the child at its posyandu from its month until the month before
    -- the child's next measurement (which may be at another posyandu), for at most 12 months:
    -- a child not seen for a year has most likely moved away. Only the columns used below go
    -- through the window: at 100x Luwu it sorts some 59M child-months.
    select
        child_key,
        posyandu_key,
        desa_code,
        measurement_month,
        measurement_date,
        age_days,
        has_kia,
        is_weighed,
        growth_status,
        least(
            coalesce(
                lead(measurement_month) over (partition by child_key order by measurement_month)
                    - interval 1 month,
                measurement_month + interval 11 month
            ),
            measurement_month + interval 11 month
        ) as registered_until
    from child_months
),

registered_child_months as (
    select
        span.child_key,
        span.posyandu_key,
        span.desa_code,
        months.month as measurement_month,
        span.has_kia,
        -- Only a span's first month has a measurement (the next one starts the next span), so
        -- the weighing and growth status come from the span itself, with no join back.
        case when months.month = span.measurement_month then span.is_weighed end as is_weighed,
        case when months.month = span.measurement_month then span.growth_status end
            as growth_status
    from registration_spans as span
    inner join data_months as months
        on months.month between span.measurement_month and span.registered_until
    -- Still under five on the first day of the month (born during it counts too).
    where span.age_days + date_diff('day', span.measurement_date, months.month) < 1827
),

posyandu_counts as (
    select
        registered.posyandu_key,
        registered.desa_code,
        registered.measurement_month,
        count(*) as children_registered,
        -- Unknown when no record of the cell carries the KIA field (older exports lack it).
        case when count(registered.has_kia) > 0
            then count(*) filter (where registered.has_kia) end as children_with_kia,
        count(*) filter (where registered.is_weighed) as children_weighed,
        {%- for column, code in [
            ('children_weight_up', 'N'),
            ('children_weight_not_up', 'T'),
            ('children_not_weighed_last_month', 'O'),
            ('children_first_weighing', 'B'),
        ] %}
        count(*) filter (where registered.growth_status = '{{ code }}') as {{ column }}
        {{- "," if not loop.last }}
        {%- endfor %}
    from registered_child_months as registered
    group by registered.posyandu_key, registered.desa_code, registered.measurement_month
),

desa_sasaran as (
    select
        sasaran.desa_code,
        months.month as measurement_month,
        sasaran.target_under_five
    from {{ ref('stg_master__sasaran') }} as sasaran
    inner join data_months as months
        on sasaran.year = year(months.month)
    where sasaran.target_under_five is not null
),

cells as (
    -- A desa with sasaran but no registered child in the month still needs its S (its D is 0):
    -- it gets one cell under the "no posyandu" key, so desa totals keep the whole sasaran.
    select * from posyandu_counts
    union all
    select
        desa_sasaran.desa_code || '|' as posyandu_key,
        desa_sasaran.desa_code,
        desa_sasaran.measurement_month,
        0 as children_registered,
        null as children_with_kia,
        {%- for column in ['children_weighed', 'children_weight_up', 'children_weight_not_up',
                           'children_not_weighed_last_month', 'children_first_weighing'] %}
        0 as {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from desa_sasaran
    anti join posyandu_counts
        on posyandu_counts.desa_code = desa_sasaran.desa_code
        and posyandu_counts.measurement_month = desa_sasaran.measurement_month
),

apportioned as (
    -- Sasaran shared in proportion to registered children, in whole children by the largest
    -- remainder (ties by posyandu key), so the posyandu of a desa add up to its sasaran exactly.
    select
        cells.*,
        desa_sasaran.target_under_five,
        desa_sasaran.target_under_five * cells.children_registered
            / nullif(sum(cells.children_registered) over desa_month, 0) as exact_share
    from cells
    left join desa_sasaran
        on desa_sasaran.desa_code = cells.desa_code
        and desa_sasaran.measurement_month = cells.measurement_month
    window desa_month as (partition by cells.desa_code, cells.measurement_month)
),

rounded as (
    select
        *,
        coalesce(exact_share, target_under_five) as share,
        target_under_five - sum(floor(coalesce(exact_share, target_under_five))) over desa_month
            as remainder_to_hand_out,
        row_number() over (
            partition by desa_code, measurement_month
            order by coalesce(exact_share, target_under_five)
                - floor(coalesce(exact_share, target_under_five)) desc,
                posyandu_key
        ) as remainder_rank
    from apportioned
    window desa_month as (partition by desa_code, measurement_month)
)

select
    rounded.posyandu_key,
    rounded.desa_code,
    rounded.measurement_month,
    cast(case
        when rounded.target_under_five is null then rounded.children_registered
        else floor(rounded.share)
            + case when rounded.remainder_rank <= rounded.remainder_to_hand_out then 1 else 0 end
    end as bigint) as children_target,
    case when rounded.target_under_five is null then 'registered' else 'sasaran' end
        as target_source,
    rounded.children_registered,
    rounded.children_with_kia,
    rounded.children_weighed,
    -- The growth status needs last month's weighing: in the first month of the data every child
    -- would look new (B), so N, T, O and B are left empty there.
    {%- for column in ['children_weight_up', 'children_weight_not_up',
                       'children_not_weighed_last_month', 'children_first_weighing'] %}
    case when rounded.measurement_month > data_window.first_month
        then rounded.{{ column }} end as {{ column }}{{ "," if not loop.last }}
    {%- endfor %}
from rounded
cross join data_window
