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
