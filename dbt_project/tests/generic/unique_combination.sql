{#- Own replacement for dbt_utils.unique_combination_of_columns (no dbt packages offline):
    fails with one row per duplicated key combination. -#}
{% test unique_combination(model, columns) %}
select {{ columns | join(', ') }}, count(*) as occurrences
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
