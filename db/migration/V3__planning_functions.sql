-- Functions the set-based planner applies to each candidate row (DESIGN.md principles 2 and 5).

-- The earliest instant at or after desired when one more survey invitation respects the fatigue
-- limits, given the contact's other invitation times and message times (past or planned), each
-- array sorted newest first; 'infinity' when planned ones around it leave no room. The caller
-- skips the invitation when the answer lies beyond its expiry. Only loops over the (small)
-- arrays: no queries, so it stays cheap when called for a million candidates.
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
    n integer;
    around integer;
begin
    if invites is null and messages is null then
        return desired;
    end if;
    if max_per_week - new_messages < 0 then
        return 'infinity';
    end if;
    loop
        moved := false;
        rounds := rounds + 1;
        if rounds > 20 then
            return 'infinity';
        end if;
        if invites is not null then
            -- at least min_gap between two invitations, either side
            foreach x in array invites loop
                if x > a - min_gap and x < a + min_gap then
                    a := x + min_gap;
                    moved := true;
                end if;
            end loop;
            -- at most max_per_year invitations in any 365 days
            n := 0;
            around := 0;
            foreach x in array invites loop
                if x > a - interval '365 days' and x < a + interval '365 days' then
                    around := around + 1;
                end if;
                if x <= a and x > a - interval '365 days' then
                    n := n + 1;
                    if n = max_per_year then
                        a := x + interval '365 days';
                        moved := true;
                        exit;
                    end if;
                end if;
            end loop;
            if not moved and around >= max_per_year then
                return 'infinity';
            end if;
        end if;
        if messages is not null and not moved then
            -- at most max_per_week messages in any 7 days, counting the new ones
            n := 0;
            around := 0;
            foreach x in array messages loop
                if x > a - interval '7 days' and x < a + interval '7 days' then
                    around := around + 1;
                end if;
                if x <= a and x > a - interval '7 days' then
                    n := n + 1;
                    if n > max_per_week - new_messages then
                        a := x + interval '7 days';
                        moved := true;
                        exit;
                    end if;
                end if;
            end loop;
            if not moved and around > max_per_week - new_messages then
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
