{#-
  Nutritional status classes of Permenkes 2/2020 (children 0-60 months), from WHO z-scores.

  Each band is (comparison, cut-off, Indonesian label, English alias), lowest first; the last band
  takes every remaining z. WHO cut-offs are strict on both sides (z < -3, z < -2, z > +1, z > +2,
  z > +3), so a band ends below a negative cut-off and at a positive one.
-#}
{%- macro permenkes_bands(index) -%}
{%- set wasting = [
    ('<', -3, 'Gizi buruk', 'severely wasted'),
    ('<', -2, 'Gizi kurang', 'wasted'),
    ('<=', 1, 'Gizi baik', 'normal'),
    ('<=', 2, 'Berisiko gizi lebih', 'possible risk of overweight'),
    ('<=', 3, 'Gizi lebih', 'overweight'),
    (none, none, 'Obesitas', 'obese'),
] -%}
{%- set bands = {
    'tb_u': [
        ('<', -3, 'Sangat pendek', 'severely stunted'),
        ('<', -2, 'Pendek', 'stunted'),
        ('<=', 3, 'Normal', 'normal'),
        (none, none, 'Tinggi', 'tall'),
    ],
    'bb_u': [
        ('<', -3, 'Berat badan sangat kurang', 'severely underweight'),
        ('<', -2, 'Berat badan kurang', 'underweight'),
        ('<=', 1, 'Berat badan normal', 'normal'),
        (none, none, 'Risiko berat badan lebih', 'risk of overweight'),
    ],
    'bb_tb': wasting,
    'imt_u': wasting,
} -%}
{{- return(bands[index]) -}}
{%- endmacro -%}


{#-
  Two columns, status_<index> (Indonesian label) and status_<index>_en (English alias).
  A flagged (biologically implausible) z-score gets no class, so it drops out of both the
  numerator and the denominator of a prevalence. `severe_when` is a condition that forces the
  most severe class: oedema for the weight-based indices (WHO counts it as z = -3.1).
-#}
{%- macro permenkes_status(zscore, flag, index, severe_when=none) -%}
{%- set bands = permenkes_bands(index) -%}
{%- for label_position, suffix in [(2, ''), (3, '_en')] %}
        case
            {%- if severe_when %}
            when {{ severe_when }} then '{{ bands[0][label_position] }}'
            {%- endif %}
            when {{ flag }} then null
            {%- for band in bands[:-1] %}
            when {{ zscore }} {{ band[0] }} {{ band[1] }} then '{{ band[label_position] }}'
            {%- endfor %}
            when {{ zscore }} is not null then '{{ bands[-1][label_position] }}'
        end as status_{{ index }}{{ suffix }}
        {{- "," if not loop.last }}
{%- endfor %}
{%- endmacro -%}
