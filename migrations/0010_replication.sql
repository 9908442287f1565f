-- Replication monitoring. The heartbeat lives in asteriskdb so it replicates with the Asterisk data over the same
-- links: one row per portal instance, overwritten every few hundred milliseconds (a short row, so each write costs
-- the binlog little). The replica list lives in the portal database: replicas from configuration and those found
-- on the master (SHOW SLAVE HOSTS), kept so one that vanishes stays on the page with an alarm.

CREATE TABLE IF NOT EXISTS asteriskdb.`portal_heartbeat` (
    `instance_id` varchar(64) CHARACTER SET ascii NOT NULL,
    `seq` bigint unsigned NOT NULL,
    `written_at` datetime(6) NOT NULL,
    CONSTRAINT `PK_portal_heartbeat` PRIMARY KEY (`instance_id`)
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS portal.`replicas` (
    `name` varchar(100) CHARACTER SET utf8mb4 NOT NULL,
    `host` varchar(255) CHARACTER SET utf8mb4 NOT NULL,
    `port` int NOT NULL,
    `server_id` int unsigned NULL,
    `source` varchar(20) CHARACTER SET ascii NOT NULL,
    `first_seen` datetime(6) NOT NULL,
    CONSTRAINT `PK_replicas` PRIMARY KEY (`name`)
) ENGINE=InnoDB CHARACTER SET=utf8mb4;
