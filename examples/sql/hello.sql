-- Runs against /workspace/db.sqlite: tables stay from run to run.
-- Arguments are sqlite3 options, e.g. -box, -json or -csv -header.
create table if not exists visits (id integer primary key, at text default current_timestamp);
insert into visits default values;

select 'Hello from SQLite ' || sqlite_version() as greeting;
select count(*) as visits_so_far from visits;

with recursive fib(n, a, b) as (select 1, 0, 1 union all select n + 1, b, a + b from fib where n < 10)
select group_concat(a, ' ') as fibonacci from fib;
