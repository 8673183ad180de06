-- Browser sessions of the admin pages: a user logs in with their API token once and gets a
-- random session id in an HttpOnly cookie. Only the id's SHA-256 is stored, like API tokens.
create table app_session (
    id_hash     text        primary key,
    user_id     bigint      not null references app_user (id) on delete cascade,
    created_at  timestamptz not null,
    expires_at  timestamptz not null
);
create index app_session_user on app_session (user_id);
