-- Onboarding of AWS accounts: payer accounts, terms and their acceptance, per-customer external IDs,
-- the AWS accounts (assets) with their invitations, approvals and timeline.

create table payer_accounts (
    id                 uuid primary key,
    account_id         varchar(12)   not null,
    name               varchar(200)  not null,
    access_mode        varchar(20)   not null check (access_mode in ('DEFAULT_CREDENTIALS', 'ASSUME_ROLE')),
    role_arn           varchar(2048),
    external_id        varchar(1224),
    region             varchar(30)   not null,
    endpoint_override  varchar(500),
    allowed_countries  varchar(1000),
    requires_business_support boolean not null default false,
    active             boolean       not null default true,
    aws_organization_id varchar(40),
    feature_set        varchar(20),
    management_email   varchar(320),
    last_test_at       timestamp with time zone,
    last_test_ok       boolean,
    last_test_message  varchar(2000),
    created_at         timestamp with time zone not null,
    updated_at         timestamp with time zone not null,
    constraint payer_accounts_account unique (account_id)
);

create table payer_account_resellers (
    payer_id     uuid not null references payer_accounts (id),
    reseller_id  uuid not null references organizations (id),
    primary key (payer_id, reseller_id)
);

create table terms_versions (
    id            uuid primary key,
    territory     varchar(3)    not null,
    version       integer       not null,
    title         varchar(200)  not null,
    body          varchar(20000) not null,
    published_at  timestamp with time zone not null,
    published_by  varchar(320),
    constraint terms_versions_territory_version unique (territory, version)
);

create table terms_acceptances (
    id            uuid primary key,
    customer_id   uuid not null references organizations (id),
    terms_id      uuid not null references terms_versions (id),
    accepted_by   uuid not null references users (id),
    accepted_email varchar(320) not null,
    accepted_at   timestamp with time zone not null,
    constraint terms_acceptances_once unique (customer_id, terms_id)
);

create table external_ids (
    customer_id   uuid primary key references organizations (id),
    external_id   varchar(64) not null,
    created_at    timestamp with time zone not null,
    constraint external_ids_unique unique (external_id)
);

create table approval_policies (
    organization_id    uuid primary key references organizations (id),
    requires_approval  boolean not null,
    updated_at         timestamp with time zone not null
);

-- The AWS accounts of customers (assets), whatever the connection type, with their invitation,
-- role and health. account_id is null only while a new account is being created.
create table aws_accounts (
    id                  uuid primary key,
    account_id          varchar(12),
    customer_id         uuid          not null references organizations (id),
    billing_profile_id  uuid          not null references billing_profiles (id),
    payer_id            uuid          references payer_accounts (id),
    connection_type     varchar(20)   not null check (connection_type in ('INVITE', 'READ_ONLY', 'CREATE')),
    status              varchar(30)   not null,
    account_type        varchar(20)   not null,
    root_email          varchar(320),
    notes               varchar(1024),
    price_book_id       uuid          references price_books (id),
    cost_center_id      uuid          references cost_centers (id),
    approver_id         uuid          references organizations (id),
    decision_reason     varchar(1000),
    handshake_id        varchar(64),
    handshake_arn       varchar(300),
    handshake_state     varchar(20),
    invited_at          timestamp with time zone,
    invitation_expires_at timestamp with time zone,
    refusal_code        varchar(60),
    refusal_message     varchar(2000),
    create_request_id   varchar(64),
    account_name        varchar(100),
    account_email       varchar(320),
    account_state       varchar(30),
    joined_at           timestamp with time zone,
    role_arn            varchar(2048),
    health              varchar(10)   not null default 'UNKNOWN',
    health_reason       varchar(2000),
    health_checked_at   timestamp with time zone,
    requested_by        uuid          references users (id),
    requested_email     varchar(320),
    created_at          timestamp with time zone not null,
    updated_at          timestamp with time zone not null
);
create index aws_accounts_customer on aws_accounts (customer_id);
create index aws_accounts_status on aws_accounts (status);
create index aws_accounts_handshake on aws_accounts (handshake_id);

-- At most one open onboarding per AWS account: the primary key decides between concurrent requests.
create table aws_account_claims (
    account_id  varchar(12) primary key,
    asset_id    uuid not null references aws_accounts (id)
);

-- The timeline of each account: every transition with its time and actor.
create table aws_account_events (
    id           bigint generated by default as identity primary key,
    asset_id     uuid          not null references aws_accounts (id),
    occurred_at  timestamp with time zone not null,
    actor_id     uuid,
    actor_email  varchar(320),
    kind         varchar(40)   not null,
    detail       varchar(2000) not null
);
create index aws_account_events_asset on aws_account_events (asset_id, occurred_at);
