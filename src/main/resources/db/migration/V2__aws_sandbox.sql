-- The sandbox organisation of the aws module: a simulated AWS Organizations payer for demos and tests.

create table aws_sandbox_handshakes (
    id                varchar(40)  primary key,
    target_account_id varchar(12)  not null,
    state             varchar(20)  not null,
    -- the target while the handshake is pending, null once closed: at most one pending invitation per account
    pending_target    varchar(12)  unique,
    notes             varchar(1024),
    requested_at      timestamp with time zone not null,
    expires_at        timestamp with time zone not null,
    updated_at        timestamp with time zone not null
);
create index aws_sandbox_handshakes_target on aws_sandbox_handshakes (target_account_id, state);
create index aws_sandbox_handshakes_requested on aws_sandbox_handshakes (requested_at);

create table aws_sandbox_handshake_tags (
    handshake_id varchar(40)  not null references aws_sandbox_handshakes (id) on delete cascade,
    tag_key      varchar(128) not null,
    tag_value    varchar(256) not null,
    primary key (handshake_id, tag_key)
);

create table aws_sandbox_accounts (
    id            varchar(12) primary key,
    email         varchar(64) not null,
    name          varchar(50) not null,
    state         varchar(20) not null,
    joined_method varchar(10) not null,
    joined_at     timestamp with time zone not null
);

create table aws_sandbox_account_creations (
    id             varchar(40) primary key,
    email          varchar(64) not null,
    account_name   varchar(50) not null,
    state          varchar(20) not null,
    account_id     varchar(12),
    failure_reason varchar(60),
    requested_at   timestamp with time zone not null,
    completed_at   timestamp with time zone
);

create table aws_sandbox_roles (
    role_arn    varchar(2048) primary key,
    account_id  varchar(12)   not null,
    external_id varchar(1224),
    deployed_at timestamp with time zone not null
);
