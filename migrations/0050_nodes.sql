-- The Asterisk nodes the operator sets up with generated files: each node's local replica (where the portal checks
-- it), its Asterisk family and replica server, and the context list of the extensions.conf last downloaded for it,
-- which tells when that file is out of date. server_id is unique: two replicas with one server-id make the master
-- drop one of them.

CREATE TABLE IF NOT EXISTS portal.`nodes` (
    `id` int NOT NULL AUTO_INCREMENT,
    `name` varchar(40) CHARACTER SET utf8mb4 NOT NULL,
    `server_id` int NOT NULL,
    `replica_host` varchar(255) CHARACTER SET utf8mb4 NOT NULL,
    `replica_port` int NOT NULL,
    `asterisk_version` varchar(10) CHARACTER SET utf8mb4 NOT NULL,
    `replica_server` varchar(10) CHARACTER SET utf8mb4 NOT NULL,
    `downloaded_contexts` text CHARACTER SET utf8mb4 NULL,
    `downloaded_fingerprint` char(64) CHARACTER SET utf8mb4 NULL,
    `downloaded_at` datetime(6) NULL,
    `downloaded_by` varchar(256) CHARACTER SET utf8mb4 NULL,
    `created_at` datetime(6) NOT NULL,
    CONSTRAINT `PK_nodes` PRIMARY KEY (`id`)
) ENGINE=InnoDB CHARACTER SET=utf8mb4;

CREATE UNIQUE INDEX IF NOT EXISTS `IX_nodes_name` ON portal.`nodes` (`name`);

CREATE UNIQUE INDEX IF NOT EXISTS `IX_nodes_server_id` ON portal.`nodes` (`server_id`);
