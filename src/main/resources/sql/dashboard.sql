-- name: segment-values
-- The contact attributes and their most common values, for the dashboard's segment filter: the
-- first :attributes attribute names (in name order), each with at most :values values (the most
-- common first), values longer than 200 characters left out. One pass over the contacts; the page
-- keeps the answer a minute, so a page view does not pay for it.
with counted as (
    select a.key as name, a.value, count(*) as n
    from contact c
    cross join lateral jsonb_each_text(c.attributes) a
    where length(a.value) <= 200
    group by a.key, a.value
), ranked as (
    select name, value, n,
           row_number() over (partition by name order by n desc, value) as value_rank,
           dense_rank() over (order by name) as name_rank
    from counted
)
select name, value, n
from ranked
where value_rank <= :values and name_rank <= :attributes
order by name, n desc, value
