{#- Use the layer name as the schema (staging, intermediate, marts) instead of dbt's
    "<target>_<custom>" concatenation, so the warehouse reads the same in every environment. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ (custom_schema_name or target.schema) | trim }}
{%- endmacro %}
