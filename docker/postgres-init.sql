-- Runs once when the compose Postgres volume is created: Airflow's metadata and the news archive
-- live in separate databases with separate owners.
CREATE USER samachar WITH PASSWORD 'samachar';
CREATE DATABASE samachar OWNER samachar;
