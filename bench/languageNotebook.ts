// The notebook the language server benchmarks open: DDL first (wrapper, server, the three
// objects), then a mix of queries, a few views and tables, as many cells as asked.

export const NB = 'file:///bench/notebook.clerk.sql';
export const cellUri = (i: number) => `vscode-notebook-cell:/bench/notebook.clerk.sql#cell${i}`;

/** DDL first (wrapper, server, the three objects), then a mix of queries, a few views and tables. */
export function notebookCells(count: number): string[] {
  const cells = [
    "create foreign data wrapper clerk_wrapper handler clerk_fdw_handler validator clerk_fdw_validator;\ncreate server clerk_server foreign data wrapper clerk_wrapper options (api_key '<clerk secret Key>', cache_ttl '60');",
    "create foreign table clerk_users (user_id text, first_name text, last_name text, email text, created_at bigint, last_sign_in_at timestamptz, banned boolean, attrs jsonb)\n  server clerk_server options (object 'users');",
    "create foreign table clerk_orgs (id text, name text, slug text, created_at timestamptz, members_count bigint)\n  server clerk_server options (object 'organizations');",
    "create foreign table clerk_members (id text, role text, user_id text, organization_id text, created_at timestamptz)\n  server clerk_server options (object 'organization_memberships');",
  ];
  const queries = [
    (i: number) =>
      `-- users signed up in month ${i}\nselect user_id, email, to_timestamp(created_at / 1000) as signed_up\nfrom clerk_users\nwhere created_at > ${1_600_000_000_000 + i * 1000}\norder by created_at desc\nlimit ${i + 1};`,
    (i: number) =>
      `select o.name, count(m.user_id) as members, max(m.created_at) as last_join\nfrom clerk_orgs o\njoin clerk_members m on m.organization_id = o.id\nwhere m.role = 'org:admin' or o.members_count > ${i}\ngroup by o.name\norder by members desc;`,
    (i: number) =>
      `with recent as (\n  select user_id, email, last_sign_in_at from clerk_users where last_sign_in_at > now() - interval '${i} days'\n)\nselect r.email, o.slug\nfrom recent r\nleft join clerk_members m on m.user_id = r.user_id\nleft join clerk_orgs o on o.id = m.organization_id;`,
    (i: number) =>
      `select first_name || ' ' || last_name as name, attrs->>'image_url' as image, banned,\n  row_number() over (partition by banned order by created_at) as n\nfrom clerk_users u\nwhere u.email like '%${i}@example.com';`,
    (i: number) =>
      `create view admins_${i} as\n  select u.user_id, u.email from clerk_users u join clerk_members m using (user_id) where m.role = 'org:admin';\nselect count(*) from admins_${i};`,
  ];
  for (let i = cells.length; i < count; i++) cells.push(queries[i % queries.length]!(i));
  return cells;
}
