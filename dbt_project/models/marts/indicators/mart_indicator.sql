-- The long indicator table BI tools pivot: indicator x level x wilayah x period, with numerator,
-- denominator, value, Wilson interval, target, gap to target and trend. Desa and posyandu cells
-- with a denominator of 1-9 are suppressed among their siblings (same parent, indicator, period).
with indicators as (
    select
        *,
        -- Positive gap = short of the target, whichever way the indicator improves.
        case better_when
            when 'lower' then value - target
            when 'higher' then target - value
        end as gap_to_target,
        case when wilayah_level in ('desa', 'posyandu') then denominator end as suppression_base
    from {{ ref('int_indicators__unioned') }}
),

published as (
    {{ suppress_small_cells(
        'indicators',
        group_by=['indicator_code', 'wilayah_level', 'parent_wilayah_code', 'period_type',
                  'period_start'],
        cell_key=['wilayah_code'],
        base_count='suppression_base',
        masked_columns=['numerator', 'denominator', 'value', 'ci_low', 'ci_high',
                        'gap_to_target'],
    ) | indent(4) }}
)

-- Trend from published values only, so a suppressed value cannot be recovered from it.
select
    current_period.* exclude (suppression_base),
    current_period.value - previous_period.value as trend_vs_previous
from published as current_period
left join published as previous_period
    on previous_period.indicator_code = current_period.indicator_code
    and previous_period.wilayah_level = current_period.wilayah_level
    and previous_period.wilayah_code = current_period.wilayah_code
    and previous_period.period_type = current_period.period_type
    and previous_period.period_start = cast(
        current_period.period_start - case current_period.period_type
            when 'month' then interval 1 month
            when 'quarter' then interval 3 month
            when 'year' then interval 1 year
        end as date
    )
