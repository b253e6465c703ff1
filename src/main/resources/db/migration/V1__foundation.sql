-- OpenPayer foundation schema: tenancy, users, billing profiles, contracts, price books,
-- cost centers, audit log, mail outbox, API tokens, event publication registry and scheduler lock.
-- Portable between PostgreSQL and H2 (MODE=PostgreSQL).

create table organizations (
    id              uuid primary key,
    parent_id       uuid references organizations (id),
    type            varchar(20)   not null check (type in ('DISTRIBUTOR', 'RESELLER', 'CUSTOMER')),
    name            varchar(200)  not null,
    path            varchar(2000) not null,
    active          boolean       not null default true,
    created_at      timestamp with time zone not null,
    updated_at      timestamp with time zone not null
);
create index organizations_parent on organizations (parent_id);
create index organizations_path on organizations (path);

create table users (
    id               uuid primary key,
    organization_id  uuid         not null references organizations (id),
    email            varchar(320) not null,
    display_name     varchar(200),
    role             varchar(20)  not null check (role in ('ADMIN', 'BILLING_MANAGER', 'ANALYST')),
    status           varchar(20)  not null check (status in ('INVITED', 'ACTIVE', 'DEACTIVATED', 'REVOKED')),
    password_hash    varchar(200),
    failed_logins    integer      not null default 0,
    locked_until     timestamp with time zone,
    created_at       timestamp with time zone not null,
    activated_at     timestamp with time zone,
    last_login_at    timestamp with time zone,
    constraint users_email_unique unique (email)
);
create index users_organization on users (organization_id);

create table user_activations (
    id           uuid primary key,
    user_id      uuid        not null references users (id),
    token_hash   varchar(64) not null unique,
    created_at   timestamp with time zone not null,
    expires_at   timestamp with time zone not null,
    used_at      timestamp with time zone,
    revoked_at   timestamp with time zone
);
create index user_activations_user on user_activations (user_id);

create table api_tokens (
    id            uuid primary key,
    user_id       uuid         not null references users (id),
    name          varchar(100) not null,
    token_hash    varchar(64)  not null unique,
    token_prefix  varchar(16)  not null,
    created_at    timestamp with time zone not null,
    expires_at    timestamp with time zone,
    last_used_at  timestamp with time zone,
    revoked_at    timestamp with time zone
);
create index api_tokens_user on api_tokens (user_id);

create table billing_profiles (
    id                  uuid primary key,
    organization_id     uuid          not null references organizations (id),
    name                varchar(200)  not null,
    legal_name          varchar(300)  not null,
    address_line1       varchar(300)  not null,
    address_line2       varchar(300),
    city                varchar(200)  not null,
    postal_code         varchar(40),
    region              varchar(200),
    country             varchar(2)    not null,
    currency            varchar(3)    not null,
    payment_terms_days  integer       not null,
    contact_emails      varchar(2000) not null,
    active              boolean       not null default true,
    created_at          timestamp with time zone not null,
    updated_at          timestamp with time zone not null
);
create index billing_profiles_organization on billing_profiles (organization_id);

create table billing_profile_assignments (
    billing_profile_id  uuid not null references billing_profiles (id),
    user_id             uuid not null references users (id),
    primary key (billing_profile_id, user_id)
);
create index billing_profile_assignments_user on billing_profile_assignments (user_id);

create table price_books (
    id           uuid primary key,
    owner_id     uuid          not null references organizations (id),
    name         varchar(200)  not null,
    currency     varchar(3)    not null,
    description  varchar(2000),
    created_at   timestamp with time zone not null,
    updated_at   timestamp with time zone not null,
    constraint price_books_owner_name unique (owner_id, name)
);

create table contracts (
    id             uuid primary key,
    seller_id      uuid        not null references organizations (id),
    customer_id    uuid        not null references organizations (id),
    price_book_id  uuid        references price_books (id),
    start_date     date        not null,
    end_date       date,
    status         varchar(10) not null check (status in ('DRAFT', 'ACTIVE', 'ENDED')),
    created_at     timestamp with time zone not null,
    updated_at     timestamp with time zone not null
);
create index contracts_customer on contracts (customer_id);
create index contracts_seller on contracts (seller_id);

create table cost_centers (
    id           uuid primary key,
    customer_id  uuid         not null references organizations (id),
    name         varchar(200) not null,
    code         varchar(50)  not null,
    created_at   timestamp with time zone not null,
    updated_at   timestamp with time zone not null,
    constraint cost_centers_customer_code unique (customer_id, code)
);

create table audit_events (
    id                 uuid primary key,
    occurred_at        timestamp with time zone not null,
    actor_id           uuid,
    actor_email        varchar(320),
    organization_id    uuid,
    organization_path  varchar(2000),
    action             varchar(100) not null,
    object_type        varchar(50)  not null,
    object_id          varchar(100),
    summary            varchar(1000) not null,
    before_state       varchar(8000),
    after_state        varchar(8000)
);
create index audit_events_occurred on audit_events (occurred_at);
create index audit_events_path on audit_events (organization_path);

create table mail_outbox (
    id               uuid primary key,
    organization_id  uuid,
    recipient        varchar(320)  not null,
    subject          varchar(500)  not null,
    body             varchar(20000) not null,
    status           varchar(10)   not null check (status in ('PENDING', 'SENT', 'FAILED', 'LOGGED')),
    attempts         integer       not null default 0,
    next_attempt_at  timestamp with time zone not null,
    last_error       varchar(2000),
    created_at       timestamp with time zone not null,
    sent_at          timestamp with time zone
);
create index mail_outbox_due on mail_outbox (status, next_attempt_at);

create table event_publication (
    id                      uuid primary key,
    completion_date         timestamp with time zone,
    event_type              varchar(512)  not null,
    listener_id             varchar(512)  not null,
    publication_date        timestamp with time zone not null,
    serialized_event        varchar(4000) not null,
    status                  varchar(20),
    completion_attempts     integer,
    last_resubmission_date  timestamp with time zone
);
create index event_publication_by_listener_id_and_serialized_event_idx on event_publication (listener_id, serialized_event);
create index event_publication_by_completion_date_idx on event_publication (completion_date);

create table shedlock (
    name        varchar(64)  primary key,
    lock_until  timestamp with time zone not null,
    locked_at   timestamp with time zone not null,
    locked_by   varchar(255) not null
);
