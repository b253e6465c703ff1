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
