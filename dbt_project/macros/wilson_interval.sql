{#-
  A percentage x / n with its Wilson score interval, as three columns named by the caller.

  Wilson (1927), in percent:
    p = x / n,  centre = (p + z^2 / 2n) / (1 + z^2 / n),
    half = z / (1 + z^2 / n) * sqrt(p (1 - p) / n + z^2 / 4n^2),  bounds = 100 (centre -+ half).
  Unlike the Wald interval it stays inside 0-100 and is usable at p = 0, p = 1 and small n, which
  is the normal case for desa and posyandu cells. z = 1.96 gives the 95% interval.

  The value is null when n is 0 or null. The bounds are also null when x > n: a ratio against an
  estimated target (D/S with sasaran) can exceed 100% and is then no proportion.
-#}
{%- macro wilson_interval(successes, trials, value_as, low_as, high_as, z=1.96) -%}
{%- set x = '(' ~ successes ~ ')' -%}
{%- set n = '(' ~ trials ~ ')' -%}
{%- set p = '(' ~ x ~ ' * 1.0 / ' ~ n ~ ')' -%}
{%- set z2 = (z * z) | round(8) -%}
{%- set shrink = '(1 + ' ~ z2 ~ ' / ' ~ n ~ ')' -%}
{%- set centre = '(' ~ p ~ ' + ' ~ z2 ~ ' / (2 * ' ~ n ~ ')) / ' ~ shrink -%}
{%- set half = z ~ ' / ' ~ shrink ~ ' * sqrt(' ~ p ~ ' * (1 - ' ~ p ~ ') / ' ~ n
    ~ ' + ' ~ z2 ~ ' / (4 * ' ~ n ~ ' * ' ~ n ~ '))' -%}
{%- set is_proportion = n ~ ' > 0 and ' ~ x ~ ' between 0 and ' ~ n -%}
        case when {{ n }} > 0 then 100.0 * {{ x }} / {{ n }} end as {{ value_as }},
        -- Exact at the ends, where the floating formula lands a hair off 0 or 100.
        case when {{ is_proportion }} then
            case when {{ x }} = 0 then 0.0
                else greatest(0.0, 100.0 * ({{ centre }} - {{ half }})) end
        end as {{ low_as }},
        case when {{ is_proportion }} then
            case when {{ x }} = {{ n }} then 100.0
                else least(100.0, 100.0 * ({{ centre }} + {{ half }})) end
        end as {{ high_as }}
{%- endmacro -%}
