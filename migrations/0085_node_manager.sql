-- Each node's manager interface (AMI), as the portal reaches it: host, port, user, and the secret encrypted with the
-- portal's Data Protection keys (data_protection_keys), so a dump of this table does not give the nodes away.

ALTER TABLE portal.`nodes`
    ADD COLUMN IF NOT EXISTS `manager_host` varchar(255) CHARACTER SET utf8mb4 NULL,
    ADD COLUMN IF NOT EXISTS `manager_port` int NULL,
    ADD COLUMN IF NOT EXISTS `manager_user` varchar(32) CHARACTER SET utf8mb4 NULL,
    ADD COLUMN IF NOT EXISTS `manager_secret_protected` text CHARACTER SET utf8mb4 NULL;
