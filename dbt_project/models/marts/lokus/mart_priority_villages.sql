-- Priority villages (lokus): every desa with e-PPGBM data or a sasaran in the latest complete
-- month, ranked, with the component scores that say why. Scoring: docs/marts.md.
--
-- A component is a desa figure where a worse value means more need. Its score is the desa's
-- percentile among the desa with a value (0 = best, 100 = worst); the priority score is the
-- weighted mean of the component scores, a missing component counting as 50. A component from
-- mart_indicator is one entry here (indicator_code + measure): later coverage indicators join
-- the score the same way. measurement_problems is no indicator: it comes from the quality model.
{%- set components = [
    {'name': 'stunted_children', 'indicator_code': 'STUNTING', 'measure': 'numerator',
     'weight': 0.30, 'worse_when': 'higher'},
    {'name': 'stunting_prevalence', 'indicator_code': 'STUNTING', 'measure': 'value',
     'weight': 0.30, 'worse_when': 'higher'},
    {'name': 'weighing_participation', 'indicator_code': 'SKDN_D_S', 'measure': 'value',
     'weight': 0.25, 'worse_when': 'lower'},
    {'name': 'measurement_problems', 'indicator_code': none, 'measure': none,
     'weight': 0.15, 'worse_when': 'higher'},
] %}
{%- set total_weight = components | sum(attribute='weight') %}
{%- set value_columns = ['children_measured'] %}
{%- for component in components %}{% do value_columns.append(component.name ~ '_value') %}{% endfor %}
{%- set priority_month = var('priority_month', none) %}
with ranked_period as (
    -- The latest month whose last day the data reach (an export taken on 5 August completes
    -- July, not August), unless the TPPS fixes a month with --vars '{priority_month: ...}'.
    select
        {%- if priority_month %}
        cast('{{ priority_month }}' as date) as period_start
        {%- else %}
        cast(
            date_trunc('month', max(measurement_date) + interval 1 day) - interval 1 month
            as date
        ) as period_start
        from {{ ref('stg_eppgbm__measurements') }}
        {%- endif %}
),

desa_indicators as (
    select
        indicators.wilayah_code as desa_code,
        {%- for component in components if component.indicator_code %}
        max(indicators.{{ component.measure }}) filter (
            where indicators.indicator_code = '{{ component.indicator_code }}'
        ) as {{ component.name }}_value{{ "," if not loop.last }}
        {%- endfor %}
    from {{ ref('int_indicators__unioned') }} as indicators
    inner join ranked_period
        on indicators.period_start = ranked_period.period_start
    where indicators.wilayah_level = 'desa'
        and indicators.period_type = 'month'
    group by indicators.wilayah_code
),

posyandu_quality as (
    select quality.*
    from {{ ref('int_measurement_quality__posyandu_monthly') }} as quality
    inner join ranked_period
        on quality.measurement_month = ranked_period.period_start
),

desa_quality as (
    {{ roll_up_wilayah(
        'posyandu_quality',
        levels=['desa'],
        group_by=[],
        measures=['measurements', 'children', 'measurements_with_problem'],
    ) | indent(4) }}
),

desa_children as (
    -- Children measured in the desa in the month: the base of small-cell suppression.
    select nutrition.wilayah_code as desa_code, nutrition.children_measured
    from {{ ref('int_nutrition_status__rolled_up') }} as nutrition
    inner join ranked_period
        on nutrition.measurement_month = ranked_period.period_start
    where nutrition.wilayah_level = 'desa'
        and nutrition.breakdown_type = 'total'
),

desa_inputs as (
    select
        coalesce(desa_indicators.desa_code, desa_quality.wilayah_code) as desa_code,
        {%- for component in components if component.indicator_code %}
        desa_indicators.{{ component.name }}_value,
        {%- endfor %}
        100.0 * desa_quality.measurements_with_problem
            / nullif(desa_quality.measurements, 0) as measurement_problems_value,
        coalesce(desa_children.children_measured, 0) as children_measured
    from desa_indicators
    full outer join desa_quality
        on desa_quality.wilayah_code = desa_indicators.desa_code
    left join desa_children
        on desa_children.desa_code = coalesce(desa_indicators.desa_code, desa_quality.wilayah_code)
),

component_scores as (
    -- Ties share a percentile and a rank; a desa without a value gets no score for it.
    select
        *,
        {%- for component in components %}
        {%- set value = component.name ~ '_value' %}
        {%- set worst_last = 'asc' if component.worse_when == 'higher' else 'desc' %}
        {%- set worst_first = 'desc' if component.worse_when == 'higher' else 'asc' %}
        case when {{ value }} is not null then 100.0 * percent_rank() over (
            partition by {{ value }} is null order by {{ value }} {{ worst_last }}
        ) end as {{ component.name }}_score,
        case when {{ value }} is not null then rank() over (
            partition by {{ value }} is null order by {{ value }} {{ worst_first }}
        ) end as {{ component.name }}_rank{{ "," if not loop.last }}
        {%- endfor %}
    from desa_inputs
),

priority_scores as (
    select
        *,
        {%- for component in components %}
        (case when {{ component.name }}_score is not null then 1 else 0 end)
        {{- " +" if not loop.last }}
        {%- endfor %} as components_scored,
        -- Weighted mean of the component scores. A missing component counts as the middle score
        -- (50): unknown is neither the best nor the worst, so a desa nobody weighs does not top
        -- the list on participation alone. Rounded so that equal inputs tie exactly and the
        -- tie-break on the desa code decides.
        round((
            {%- for component in components %}
            {{ component.weight }} * coalesce({{ component.name }}_score, 50)
            {{- " +" if not loop.last }}
            {%- endfor %}
        ) / {{ total_weight }}, 4) as priority_score
    from component_scores
),

ranked as (
    select
        ranked_period.period_start,
        priority_scores.*,
        substr(priority_scores.desa_code, 1, 8) as kecamatan_code,
        row_number() over (
            order by priority_scores.priority_score desc nulls last, priority_scores.desa_code
        ) as priority_rank,
        row_number() over (
            partition by substr(priority_scores.desa_code, 1, 8)
            order by priority_scores.priority_score desc nulls last, priority_scores.desa_code
        ) as priority_rank_in_kecamatan,
        'administrative' as source_type
    from priority_scores
    cross join ranked_period
),

-- Scores and ranks are published for every desa (they reveal no count); the figures behind them
-- follow the small-cell rule on the children measured in the desa.
published as (
    {{ suppress_small_cells(
        'ranked',
        group_by=['kecamatan_code', 'period_start'],
        cell_key=['desa_code'],
        base_count='children_measured',
        masked_columns=value_columns,
    ) | indent(4) }}
)

select * from published
