-- Issue 19: quiet hours in every zone a phone number may be in, one zone chain for dates, and
-- answers credited to the message whose link was used.

-- The zones a phone number may be in (libphonenumber on the full number, zones that always share
-- an offset counted once), when there are several; phone_timezone keeps the single zone when
-- there is only one. Filled by the contacts import and the API from this version on.
alter table contact add column phone_zones text[];
-- The date of an onboarded_at given without a time: the planner takes midnight of it in the
-- zone chain, as for renewal dates (onboarded_at keeps an instant for the index and the export).
alter table contact add column onboarded_on date;

-- The zones whose send window placed the invite (all candidate zones, or the first one when an
-- email window has no common opening in all of them).
alter table invitation add column send_zones text[];

-- An SMS whose candidate zones leave no common window is skipped as quiet_hours (when the
-- campaign has no other channel for the contact).
alter table invitation drop constraint invitation_skip_reason_check;
alter table invitation add constraint invitation_skip_reason_check check (skip_reason in
    ('suppressed', 'no_channel', 'sampled_out', 'not_in_audience', 'fatigue', 'too_late', 'expired', 'quiet_hours'));

-- The message whose survey link (or SMS) brought the answer: reports credit its channel.
alter table response add column via_message_id bigint;

-- The zone chain of a contact: its own zone, else every zone its phone number may be in, else the
-- phone's single zone, else the fallback (the campaign's zone, or 'UTC'; null gives {NULL}).
create function contact_zones(timezone text, phone_zones text[], phone_timezone text, fallback text)
    returns text[]
    language sql immutable parallel safe
as $$
    select case when timezone is not null then array[timezone]
                when phone_zones is not null then phone_zones
                else array[coalesce(phone_timezone, fallback)] end
$$;

-- The first instant at or after a inside a weekly window (days as a bit mask of ISO days, the
-- days to the next allowed day, opening and closing time) in zone tz; the expression of
-- plan/ChannelWindow as a function.
create function window_at(a timestamptz, tz text, mask integer, next_day integer[], opens time, closes time)
    returns timestamptz
    language sql immutable parallel safe
as $$
    select case when (mask >> (x.dow - 1)) & 1 = 1 and x.l::time < opens then (x.l::date + opens) at time zone tz
                when (mask >> (x.dow - 1)) & 1 = 1 and x.l::time < closes then a
                else ((x.l::date + next_day[x.dow]) + opens) at time zone tz
           end
    from (select a at time zone tz as l, extract(isodow from a at time zone tz)::integer as dow) x
$$;

-- The first instant at or after a inside the window in every zone of zones, or null when they
-- have no common opening within 8 days. Each step moves to the next opening in one zone, which
-- is never later than the first common instant, so the fixed point is that instant.
create function window_in_zones(a timestamptz, zones text[], mask integer, next_day integer[], opens time, closes time)
    returns timestamptz
    language plpgsql immutable parallel safe
as $$
declare
    start timestamptz := a;
    b timestamptz;
    z text;
    rounds integer := 0;
begin
    if a is null or a = 'infinity' then
        return a;
    end if;
    loop
        b := a;
        foreach z in array zones loop
            b := window_at(b, z, mask, next_day, opens, closes);
        end loop;
        if b = a then
            return a;
        end if;
        a := b;
        rounds := rounds + 1;
        if rounds > 60 or a > start + interval '8 days' then
            return null;
        end if;
    end loop;
end
$$;
