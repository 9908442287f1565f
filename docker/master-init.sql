-- The accounts of scripts/cluster, created on the master so they replicate to the replicas.
-- Passwords are the development defaults: change them (and the portal's configuration) for real use.
CREATE USER IF NOT EXISTS 'repl'@'%' IDENTIFIED BY 'repl-dev';
GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%';
CREATE DATABASE IF NOT EXISTS asteriskdb CHARACTER SET utf8mb4;
CREATE DATABASE IF NOT EXISTS portal CHARACTER SET utf8mb4;
CREATE USER IF NOT EXISTS 'portal'@'%' IDENTIFIED BY 'portal-dev';
GRANT SELECT, INSERT, UPDATE, DELETE, CREATE TEMPORARY TABLES ON asteriskdb.* TO 'portal'@'%';
GRANT SELECT, INSERT, UPDATE, DELETE, CREATE TEMPORARY TABLES ON portal.* TO 'portal'@'%';
CREATE USER IF NOT EXISTS 'migrator'@'%' IDENTIFIED BY 'migrator-dev';
GRANT ALL PRIVILEGES ON asteriskdb.* TO 'migrator'@'%';
GRANT ALL PRIVILEGES ON portal.* TO 'migrator'@'%';
CREATE USER IF NOT EXISTS 'monitor'@'%' IDENTIFIED BY 'monitor-dev';
GRANT SELECT, SLAVE MONITOR, BINLOG MONITOR, REPLICATION MASTER ADMIN ON *.* TO 'monitor'@'%';
CREATE USER IF NOT EXISTS 'asterisk'@'%' IDENTIFIED BY 'asterisk-dev';
GRANT SELECT ON asteriskdb.* TO 'asterisk'@'%';
-- The asterisk account's column UPDATE grants need the tables: the portal's migrations create them, then
-- run `scripts/cluster grants`'s statements (see that script) against the master once.
