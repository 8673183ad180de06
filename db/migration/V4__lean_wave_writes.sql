-- Cheaper rows for the planner, which writes a wave of up to a million invitations and invite
-- messages at once (docs/PERFORMANCE.md, "Planning a recurring wave").

-- 1. No per-row foreign-key checks on the two columns every planned row carries. The planner
--    derives invitation.contact_id from a contact row and message.invitation_id from the
--    invitation it has just inserted, in the same statement, so the checks never catch anything
--    there, and they were about 40% of the cost of writing a wave. What ON DELETE CASCADE did is
--    kept by the statement-level triggers below, which cost nothing when rows are inserted.
--    (There is no contact deletion in this version; the triggers keep a deletion correct if one
--    is added, or done by hand. A contact deleted while a planner is inserting for it could leave
--    orphan rows: delete contacts outside planning, e.g. under the planning advisory lock.)
alter table invitation drop constraint invitation_contact_id_fkey;
alter table message drop constraint message_invitation_id_fkey;

create function contact_deleted() returns trigger
    language plpgsql
as $$
begin
    delete from invitation i using gone where i.contact_id = gone.id;
    return null;
end
$$;
create trigger contact_deleted after delete on contact
    referencing old table as gone for each statement execute function contact_deleted();

create function invitation_deleted() returns trigger
    language plpgsql
as $$
begin
    delete from message m using gone where m.invitation_id = gone.id;
    return null;
end
$$;
create trigger invitation_deleted after delete on invitation
    referencing old table as gone for each statement execute function invitation_deleted();

-- 2. The survey token is given when the invite is sent (Dispatch), not when it is planned: a
--    planned invitation has no token. Uniqueness only concerns the tokens that exist, so the
--    unique index leaves out NULLs instead of indexing one per planned invitation. It keeps the
--    name of the constraint it replaces; `where token = ?` lookups use it as before.
alter table invitation drop constraint invitation_token_key;
create unique index invitation_token_key on invitation (token) where token is not null;

-- 3. Priority look-ahead (DESIGN.md, Fatigue: "higher priority wins"): fatigue_allowed with the
--    windows in which known upcoming higher-priority invitations will be sent (an onboarding or
--    renewal trigger that has not been planned yet: [trigger, trigger + that campaign's expiry],
--    widened when its own minimum gap is larger). The answer keeps min_gap away from every point
--    of each window, and each window within 365 days counts as one invitation of the year, so the
--    higher-priority survey finds room when its trigger comes. Without windows: fatigue_allowed.
create function fatigue_allowed(desired timestamptz, invites timestamptz[], messages timestamptz[],
                                min_gap interval, max_per_year integer, max_per_week integer,
                                new_messages integer, reserved tstzrange[])
    returns timestamptz
    language plpgsql immutable parallel safe
as $$
declare
    a timestamptz := desired;
    r tstzrange;
    start timestamptz;
    rounds integer := 0;
    k integer;
begin
    if reserved is null then
        return fatigue_allowed(desired, invites, messages, min_gap, max_per_year, max_per_week, new_messages);
    end if;
    loop
        rounds := rounds + 1;
        if rounds > 20 then
            return 'infinity';
        end if;
        start := a;
        -- the windows near a take their share of the yearly limit
        k := 0;
        foreach r in array reserved loop
            if upper(r) > a - interval '365 days' and lower(r) < a + interval '365 days' then
                k := k + 1;
            end if;
        end loop;
        if max_per_year - k < 1 then
            return 'infinity';
        end if;
        a := fatigue_allowed(a, invites, messages, min_gap, max_per_year - k, max_per_week, new_messages);
        if a = 'infinity' then
            return a;
        end if;
        foreach r in array reserved loop
            if a > lower(r) - min_gap and a < upper(r) + min_gap then
                a := upper(r) + min_gap;
            end if;
        end loop;
        exit when a = start; -- nothing moved it: every rule holds at a
    end loop;
    return a;
end
$$;
