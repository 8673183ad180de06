-- A report's median looks up the one or two buckets holding its middle ranks by their number
-- (report.sql's middle-delays-looked-up) instead of sorting every bucket of every day in its range.
create index report_delay_day_bucket on report_delay_day (bucket);
