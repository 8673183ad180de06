-- Outcomes of contacts for reports (issue 16.2).
--
-- churned_at: the day the customer left (a contacts CSV column and an API field; empty clears it).
-- Reports count a respondent as churned when this day falls within the churn window after their answer.
alter table contact add column churned_at date;

-- Every attribute name a contact has ever had. Reports add revenue figures only when some contact
-- may have the revenue attribute (SURVEYCAST_REVENUE_ATTRIBUTE); asking contact itself means a scan of
-- every contact on every report (about 100 ms per million contacts) when nobody has it, which would
-- slow the reports served by the roll-ups. A name stays once seen: a stale name only costs a revenue
-- query that finds nothing, never a wrong figure.
create table contact_attribute_name (
    name text primary key
);
insert into contact_attribute_name select distinct jsonb_object_keys(attributes) from contact;

-- One statement-level insert per write of contacts (an import is two statements), reading the
-- changed rows once.
create function contact_attribute_names_seen() returns trigger
language plpgsql as $$
begin
    insert into contact_attribute_name (name)
    select distinct k from new_contacts c, jsonb_object_keys(c.attributes) k
    where not exists (select 1 from contact_attribute_name n where n.name = k)
    on conflict do nothing;
    return null;
end $$;

create trigger contact_attribute_names_inserted after insert on contact
    referencing new table as new_contacts for each statement execute function contact_attribute_names_seen();
create trigger contact_attribute_names_updated after update on contact
    referencing new table as new_contacts for each statement execute function contact_attribute_names_seen();

-- The number an attribute value holds (reports' revenue, SURVEYCAST_REVENUE_ATTRIBUTE), or null when it
-- is not a plain decimal number ("1200", "-3.5", " 99.90 "); NaN, Infinity, "1e3" and "12 EUR" count as none.
create function report_number(value text) returns numeric
language sql immutable parallel safe as $$
    select case when value ~ '^\s*[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)\s*$' then value::numeric end
$$;
