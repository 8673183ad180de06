-- Functions the set-based planner applies to each candidate row (DESIGN.md principles 2 and 5).

-- The first instant at or after t that falls inside a send window, in local time of zone tz.
-- allowed_days: bit i set = ISO day i+1 (Monday = bit 0) allowed; next_day: for each ISO day
-- (index 1..7), how many days later the next allowed day comes; opens/closes: local times.
create function next_in_window(t timestamptz, tz text, allowed_days integer, next_day integer[],
                               opens time, closes time)
    returns timestamptz
    language sql stable parallel safe
as $$
    select case
        when (allowed_days >> (extract(isodow from l)::integer - 1)) & 1 = 1 and l::time < opens
            then (l::date + opens) at time zone tz
        when (allowed_days >> (extract(isodow from l)::integer - 1)) & 1 = 1 and l::time < closes
            then t
        else ((l::date + next_day[extract(isodow from l)::integer]) + opens) at time zone tz
    end
    from (select t at time zone tz as l) local_time
$$;

-- The earliest instant at or after desired when one more survey invitation respects the fatigue
-- limits, given the contact's other invitation times (any order, past or planned) and message
-- times; 'infinity' when planned ones after it leave no room. The caller skips the invitation
-- when the answer lies beyond its expiry.
create function fatigue_allowed(desired timestamptz, invites timestamptz[], messages timestamptz[],
                                min_gap interval, max_per_year integer, max_per_week integer,
                                new_messages integer)
    returns timestamptz
    language plpgsql immutable parallel safe
as $$
declare
    a timestamptz := desired;
    x timestamptz;
    moved boolean;
    rounds integer := 0;
    kth timestamptz;
begin
    loop
        moved := false;
        rounds := rounds + 1;
        if rounds > 20 then
            return 'infinity';
        end if;
        -- at least min_gap between two invitations, either side
        if invites is not null then
            foreach x in array invites loop
                if x > a - min_gap and x < a + min_gap then
                    a := x + min_gap;
                    moved := true;
                end if;
            end loop;
            -- at most max_per_year invitations in any 365 days
            select t into kth from unnest(invites) t
                where t > a - interval '365 days' and t <= a order by t desc offset max_per_year - 1 limit 1;
            if kth is not null then
                a := kth + interval '365 days';
                moved := true;
            elsif (select count(*) from unnest(invites) t where t > a - interval '365 days' and t < a + interval '365 days')
                  >= max_per_year then
                return 'infinity';
            end if;
        end if;
        -- at most max_per_week messages in any 7 days
        if messages is not null then
            select t into kth from unnest(messages) t
                where t > a - interval '7 days' and t <= a order by t desc offset max_per_week - new_messages limit 1;
            if kth is not null then
                a := kth + interval '7 days';
                moved := true;
            elsif (select count(*) from unnest(messages) t where t > a - interval '7 days' and t < a + interval '7 days')
                  > max_per_week - new_messages then
                return 'infinity';
            end if;
        end if;
        exit when not moved;
    end loop;
    return a;
end
$$;

-- A stable number in [0, 1) for a campaign and contact: the same contact stays in or out of a sample.
create function sample_point(campaign_key text, external_id text)
    returns double precision
    language sql immutable parallel safe
as $$
    select ('x' || substr(md5(campaign_key || ':' || external_id), 1, 8))::bit(32)::bigint / 4294967296.0
$$;
