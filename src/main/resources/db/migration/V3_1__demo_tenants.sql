-- Organisations seeded by the demo are marked, so that payer accounts can refuse them.
alter table organizations add column demo boolean not null default false;
alter table payer_accounts add column accepts_demo_tenants boolean not null default false;
