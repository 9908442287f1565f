-- Tenant admins' PINs and office-closed toggles.
--
-- tenants.accountcode: the prefix of the tenant's stored PINs. The classic dialplan looks a PIN up with
-- Realtime(pins|pin|1111-${pin}), so a PIN is stored as <accountcode>-<digits>. Unique, because that lookup does
-- not filter by company: two tenants sharing an accountcode would accept each other's PINs.
ALTER TABLE portal.`tenants` ADD COLUMN IF NOT EXISTS `accountcode` varchar(15) CHARACTER SET utf8mb4 NULL;

CREATE UNIQUE INDEX IF NOT EXISTS `IX_tenants_accountcode` ON portal.`tenants` (`accountcode`);

-- A tenant's named office-closed toggles. Each is backed by the flag row(s) of asteriskdb.extensions whose app is
-- toggle_key (varchar(20) like extensions.app), the row RealTimeUpdate(extensions|app|<key>|appdata|on) flips.
-- known_state / known_version: the flag rows' value as the portal last saw or wrote it (version 0: never seen).
-- The watcher compares the live rows with it to notice a flip made from a phone; the version makes its update a
-- compare-and-set, so a portal flip racing the watcher, or several portal instances, never log one change twice.
CREATE TABLE IF NOT EXISTS portal.`office_toggles` (
    `id` int NOT NULL AUTO_INCREMENT,
    `tenant_id` int NOT NULL,
    `name` varchar(60) CHARACTER SET utf8mb4 NOT NULL,
    `toggle_key` varchar(20) CHARACTER SET utf8mb4 NOT NULL,
    `known_state` varchar(128) CHARACTER SET utf8mb4 NULL,
    `known_version` int NOT NULL DEFAULT 0,
    CONSTRAINT `PK_office_toggles` PRIMARY KEY (`id`),
    CONSTRAINT `FK_office_toggles_tenants_tenant_id` FOREIGN KEY (`tenant_id`) REFERENCES portal.`tenants` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB CHARACTER SET=utf8mb4;

CREATE UNIQUE INDEX IF NOT EXISTS `IX_office_toggles_toggle_key` ON portal.`office_toggles` (`toggle_key`);

CREATE UNIQUE INDEX IF NOT EXISTS `IX_office_toggles_tenant_id_name` ON portal.`office_toggles` (`tenant_id`, `name`);

-- Every existing tenant gets its default toggle, keyed by the tenant key (the classic flag row's app).
INSERT INTO portal.`office_toggles` (`tenant_id`, `name`, `toggle_key`)
SELECT t.`id`, 'Office closed', t.`tenant_key` FROM portal.`tenants` t
WHERE NOT EXISTS (SELECT 1 FROM portal.`office_toggles` o WHERE o.`toggle_key` = t.`tenant_key`);

-- "Who changed it and when" reads the newest audit entry of one flag key; without this it scans the audit log.
CREATE INDEX IF NOT EXISTS `IX_audit_log_table_name_row_key_id` ON portal.`audit_log` (`table_name`, `row_key`, `id`);
