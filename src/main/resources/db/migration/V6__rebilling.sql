-- Rebilling: versioned price book rules, custom line items, recorded exchange rates, the invoice
-- settings of billing profiles, invoice runs, invoices and credit notes with gapless numbers.

-- A price book's rules are edited in its one DRAFT version; publishing fixes them from a month on.
-- Invoices keep the version they were priced with.
create table price_book_versions (
    id              uuid primary key,
    price_book_id   uuid        not null references price_books (id),
    version         integer     not null,
    status          varchar(10) not null check (status in ('DRAFT', 'PUBLISHED')),
    effective_from  date,
    note            varchar(1000),
    created_at      timestamp with time zone not null,
    published_at    timestamp with time zone,
    published_by    varchar(320),
    constraint price_book_versions_number unique (price_book_id, version)
);

create table price_book_rules (
    id                uuid primary key,
    version_id        uuid          not null references price_book_versions (id),
    position          integer       not null,
    name              varchar(200),
    service_code      varchar(200),
    usage_type        varchar(500),
    operation         varchar(500),
    region_id         varchar(60),
    usage_account_id  varchar(12),
    line_item_type    varchar(60),
    tag_key           varchar(500),
    tag_value         varchar(500),
    action            varchar(20)   not null check (action in ('MARKUP', 'DISCOUNT', 'FIXED_RATE', 'PASS_THROUGH', 'EXCLUDE')),
    basis             varchar(20)   check (basis in ('UNBLENDED', 'AMORTIZED', 'PUBLIC_ON_DEMAND')),
    percent           decimal(20,10),
    rate              decimal(38,10)
);
create index price_book_rules_version on price_book_rules (version_id, position);

-- Fees and credits a seller adds to invoices: flat (in the billing profile's currency) or a percentage
-- of the billed usage, one month or recurring, for a whole billing profile or one of its accounts.
create table custom_line_items (
    id                  uuid primary key,
    seller_id           uuid          not null references organizations (id),
    billing_profile_id  uuid          not null references billing_profiles (id),
    usage_account_id    varchar(12),
    description         varchar(300)  not null,
    kind                varchar(10)   not null check (kind in ('FEE', 'CREDIT')),
    charge              varchar(10)   not null check (charge in ('FLAT', 'PERCENT')),
    amount              decimal(38,10) not null,
    first_month         date          not null,
    last_month          date,
    created_at          timestamp with time zone not null,
    updated_at          timestamp with time zone not null
);
create index custom_line_items_profile on custom_line_items (billing_profile_id);

-- The monthly rate used to convert the AWS billing currency into a billing profile's currency.
create table exchange_rates (
    billing_month   date          not null,
    from_currency   varchar(3)    not null,
    to_currency     varchar(3)    not null,
    rate            decimal(20,10) not null,
    source          varchar(300),
    recorded_at     timestamp with time zone not null,
    recorded_by     varchar(320),
    primary key (billing_month, from_currency, to_currency)
);

-- How a billing profile's invoices are laid out and taxed.
create table invoice_settings (
    billing_profile_id  uuid primary key references billing_profiles (id),
    line_grouping       varchar(30)   not null check (line_grouping in ('ACCOUNT_SERVICE', 'SERVICE', 'ACCOUNT')),
    tax_mode            varchar(20)   not null check (tax_mode in ('PASS_THROUGH', 'RATE')),
    tax_rate            decimal(9,4),
    tax_label           varchar(100),
    updated_at          timestamp with time zone not null
);

create table invoice_runs (
    id              uuid primary key,
    seller_id       uuid          not null references organizations (id),
    billing_month   date          not null,
    status          varchar(20)   not null check (status in ('RUNNING', 'COMPLETED', 'FAILED')),
    trigger_kind    varchar(20)   not null,
    requested_by    varchar(320),
    started_at      timestamp with time zone not null,
    finished_at     timestamp with time zone,
    invoices        integer       not null default 0,
    drafts          integer       not null default 0,
    corrections     integer       not null default 0,
    unchanged       integer       not null default 0,
    cost_rows       bigint        not null default 0,
    warnings        varchar(8000),
    error           varchar(4000)
);
create index invoice_runs_seller on invoice_runs (seller_id, billing_month);

-- The next number per seller and document kind: locked while an invoice is issued, so numbers have no gaps.
create table invoice_numbers (
    seller_id    uuid        not null references organizations (id),
    kind         varchar(20) not null,
    next_number  bigint      not null,
    primary key (seller_id, kind)
);

create table invoices (
    id                  uuid primary key,
    seller_id           uuid          not null references organizations (id),
    customer_id         uuid          not null references organizations (id),
    billing_profile_id  uuid          not null references billing_profiles (id),
    billing_month       date          not null,
    kind                varchar(20)   not null check (kind in ('INVOICE', 'CREDIT_NOTE')),
    tier                varchar(20)   not null check (tier in ('WHOLESALE', 'RETAIL')),
    status              varchar(10)   not null check (status in ('DRAFT', 'ISSUED')),
    number              varchar(40),
    corrects_id         uuid          references invoices (id),
    reason              varchar(1000),
    currency            varchar(3)    not null,
    source_currency     varchar(3)    not null,
    exchange_rate       decimal(20,10),
    cost_basis          decimal(38,10) not null,
    cost_converted      decimal(38,10) not null,
    subtotal            decimal(38,10) not null,
    tax                 decimal(38,10) not null,
    total               decimal(38,10) not null,
    tax_label           varchar(100),
    price_books         varchar(2000),
    data_version        varchar(4000),
    run_id              uuid,
    computed_at         timestamp with time zone not null,
    issue_date          date,
    due_date            date,
    issued_at           timestamp with time zone,
    issued_by           varchar(320),
    pdf                 bytea,
    constraint invoices_number unique (seller_id, kind, number)
);
create index invoices_seller_month on invoices (seller_id, billing_month);
create index invoices_profile on invoices (billing_profile_id);

create table invoice_lines (
    id                bigint generated by default as identity primary key,
    invoice_id        uuid          not null references invoices (id),
    position          integer       not null,
    kind              varchar(10)   not null check (kind in ('USAGE', 'FEE', 'CREDIT', 'TAX')),
    line_key          varchar(1000) not null,
    usage_account_id  varchar(12),
    customer_id       uuid,
    cost_center       varchar(300),
    service_code      varchar(200),
    description       varchar(1000) not null,
    cost_basis        decimal(38,10),
    amount            decimal(38,10) not null,
    pricing           varchar(1000)
);
create index invoice_lines_invoice on invoice_lines (invoice_id, position);
