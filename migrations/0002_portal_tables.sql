-- The portal's own data in the portal database: ASP.NET Core Identity (users, roles, lockout, two-factor),
-- tenants and their contexts, the audit log, and the Data Protection keys that let several portal instances
-- share sign-ins. Generated from PortalDb's EF model, made re-runnable.

CREATE TABLE IF NOT EXISTS portal.`AspNetRoles` (
    `Id` varchar(255) CHARACTER SET utf8mb4 NOT NULL,
    `Name` varchar(256) CHARACTER SET utf8mb4 NULL,
    `NormalizedName` varchar(256) CHARACTER SET utf8mb4 NULL,
    `ConcurrencyStamp` longtext CHARACTER SET utf8mb4 NULL,
    CONSTRAINT `PK_AspNetRoles` PRIMARY KEY (`Id`)
) ENGINE=InnoDB CHARACTER SET=utf8mb4;

CREATE TABLE IF NOT EXISTS portal.`audit_log` (
    `id` bigint NOT NULL AUTO_INCREMENT,
    `at` datetime(6) NOT NULL,
    `user_name` varchar(256) CHARACTER SET utf8mb4 NOT NULL,
    `tenant_key` varchar(11) CHARACTER SET utf8mb4 NULL,
    `action` varchar(40) CHARACTER SET utf8mb4 NOT NULL,
    `table_name` varchar(40) CHARACTER SET utf8mb4 NOT NULL,
    `row_key` varchar(200) CHARACTER SET utf8mb4 NOT NULL,
    `old_values` text CHARACTER SET utf8mb4 NULL,
    `new_values` text CHARACTER SET utf8mb4 NULL,
    CONSTRAINT `PK_audit_log` PRIMARY KEY (`id`)
) ENGINE=InnoDB CHARACTER SET=utf8mb4;

CREATE TABLE IF NOT EXISTS portal.`data_protection_keys` (
    `Id` int NOT NULL AUTO_INCREMENT,
    `FriendlyName` longtext CHARACTER SET utf8mb4 NULL,
    `Xml` longtext CHARACTER SET utf8mb4 NULL,
    CONSTRAINT `PK_data_protection_keys` PRIMARY KEY (`Id`)
) ENGINE=InnoDB CHARACTER SET=utf8mb4;

CREATE TABLE IF NOT EXISTS portal.`tenants` (
    `id` int NOT NULL AUTO_INCREMENT,
    `tenant_key` varchar(11) CHARACTER SET utf8mb4 NOT NULL,
    `name` varchar(100) CHARACTER SET utf8mb4 NOT NULL,
    CONSTRAINT `PK_tenants` PRIMARY KEY (`id`)
) ENGINE=InnoDB CHARACTER SET=utf8mb4;

CREATE TABLE IF NOT EXISTS portal.`AspNetRoleClaims` (
    `Id` int NOT NULL AUTO_INCREMENT,
    `RoleId` varchar(255) CHARACTER SET utf8mb4 NOT NULL,
    `ClaimType` longtext CHARACTER SET utf8mb4 NULL,
    `ClaimValue` longtext CHARACTER SET utf8mb4 NULL,
    CONSTRAINT `PK_AspNetRoleClaims` PRIMARY KEY (`Id`),
    CONSTRAINT `FK_AspNetRoleClaims_AspNetRoles_RoleId` FOREIGN KEY (`RoleId`) REFERENCES portal.`AspNetRoles` (`Id`) ON DELETE CASCADE
) ENGINE=InnoDB CHARACTER SET=utf8mb4;

CREATE TABLE IF NOT EXISTS portal.`AspNetUsers` (
    `Id` varchar(255) CHARACTER SET utf8mb4 NOT NULL,
    `TenantId` int NULL,
    `UserName` varchar(256) CHARACTER SET utf8mb4 NULL,
    `NormalizedUserName` varchar(256) CHARACTER SET utf8mb4 NULL,
    `Email` varchar(256) CHARACTER SET utf8mb4 NULL,
    `NormalizedEmail` varchar(256) CHARACTER SET utf8mb4 NULL,
    `EmailConfirmed` tinyint(1) NOT NULL,
    `PasswordHash` longtext CHARACTER SET utf8mb4 NULL,
    `SecurityStamp` longtext CHARACTER SET utf8mb4 NULL,
    `ConcurrencyStamp` longtext CHARACTER SET utf8mb4 NULL,
    `PhoneNumber` longtext CHARACTER SET utf8mb4 NULL,
    `PhoneNumberConfirmed` tinyint(1) NOT NULL,
    `TwoFactorEnabled` tinyint(1) NOT NULL,
    `LockoutEnd` datetime(6) NULL,
    `LockoutEnabled` tinyint(1) NOT NULL,
    `AccessFailedCount` int NOT NULL,
    CONSTRAINT `PK_AspNetUsers` PRIMARY KEY (`Id`),
    CONSTRAINT `FK_AspNetUsers_tenants_TenantId` FOREIGN KEY (`TenantId`) REFERENCES portal.`tenants` (`id`) ON DELETE RESTRICT
) ENGINE=InnoDB CHARACTER SET=utf8mb4;

CREATE TABLE IF NOT EXISTS portal.`tenant_contexts` (
    `tenant_id` int NOT NULL,
    `context` varchar(80) CHARACTER SET utf8mb4 NOT NULL,
    CONSTRAINT `PK_tenant_contexts` PRIMARY KEY (`tenant_id`, `context`),
    CONSTRAINT `FK_tenant_contexts_tenants_tenant_id` FOREIGN KEY (`tenant_id`) REFERENCES portal.`tenants` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB CHARACTER SET=utf8mb4;

CREATE TABLE IF NOT EXISTS portal.`AspNetUserClaims` (
    `Id` int NOT NULL AUTO_INCREMENT,
    `UserId` varchar(255) CHARACTER SET utf8mb4 NOT NULL,
    `ClaimType` longtext CHARACTER SET utf8mb4 NULL,
    `ClaimValue` longtext CHARACTER SET utf8mb4 NULL,
    CONSTRAINT `PK_AspNetUserClaims` PRIMARY KEY (`Id`),
    CONSTRAINT `FK_AspNetUserClaims_AspNetUsers_UserId` FOREIGN KEY (`UserId`) REFERENCES portal.`AspNetUsers` (`Id`) ON DELETE CASCADE
) ENGINE=InnoDB CHARACTER SET=utf8mb4;

CREATE TABLE IF NOT EXISTS portal.`AspNetUserLogins` (
    `LoginProvider` varchar(255) CHARACTER SET utf8mb4 NOT NULL,
    `ProviderKey` varchar(255) CHARACTER SET utf8mb4 NOT NULL,
    `ProviderDisplayName` longtext CHARACTER SET utf8mb4 NULL,
    `UserId` varchar(255) CHARACTER SET utf8mb4 NOT NULL,
    CONSTRAINT `PK_AspNetUserLogins` PRIMARY KEY (`LoginProvider`, `ProviderKey`),
    CONSTRAINT `FK_AspNetUserLogins_AspNetUsers_UserId` FOREIGN KEY (`UserId`) REFERENCES portal.`AspNetUsers` (`Id`) ON DELETE CASCADE
) ENGINE=InnoDB CHARACTER SET=utf8mb4;

CREATE TABLE IF NOT EXISTS portal.`AspNetUserRoles` (
    `UserId` varchar(255) CHARACTER SET utf8mb4 NOT NULL,
    `RoleId` varchar(255) CHARACTER SET utf8mb4 NOT NULL,
    CONSTRAINT `PK_AspNetUserRoles` PRIMARY KEY (`UserId`, `RoleId`),
    CONSTRAINT `FK_AspNetUserRoles_AspNetRoles_RoleId` FOREIGN KEY (`RoleId`) REFERENCES portal.`AspNetRoles` (`Id`) ON DELETE CASCADE,
    CONSTRAINT `FK_AspNetUserRoles_AspNetUsers_UserId` FOREIGN KEY (`UserId`) REFERENCES portal.`AspNetUsers` (`Id`) ON DELETE CASCADE
) ENGINE=InnoDB CHARACTER SET=utf8mb4;

CREATE TABLE IF NOT EXISTS portal.`AspNetUserTokens` (
    `UserId` varchar(255) CHARACTER SET utf8mb4 NOT NULL,
    `LoginProvider` varchar(255) CHARACTER SET utf8mb4 NOT NULL,
    `Name` varchar(255) CHARACTER SET utf8mb4 NOT NULL,
    `Value` longtext CHARACTER SET utf8mb4 NULL,
    CONSTRAINT `PK_AspNetUserTokens` PRIMARY KEY (`UserId`, `LoginProvider`, `Name`),
    CONSTRAINT `FK_AspNetUserTokens_AspNetUsers_UserId` FOREIGN KEY (`UserId`) REFERENCES portal.`AspNetUsers` (`Id`) ON DELETE CASCADE
) ENGINE=InnoDB CHARACTER SET=utf8mb4;

CREATE INDEX IF NOT EXISTS `IX_AspNetRoleClaims_RoleId` ON portal.`AspNetRoleClaims` (`RoleId`);

CREATE UNIQUE INDEX IF NOT EXISTS `RoleNameIndex` ON portal.`AspNetRoles` (`NormalizedName`);

CREATE INDEX IF NOT EXISTS `IX_AspNetUserClaims_UserId` ON portal.`AspNetUserClaims` (`UserId`);

CREATE INDEX IF NOT EXISTS `IX_AspNetUserLogins_UserId` ON portal.`AspNetUserLogins` (`UserId`);

CREATE INDEX IF NOT EXISTS `IX_AspNetUserRoles_RoleId` ON portal.`AspNetUserRoles` (`RoleId`);

CREATE INDEX IF NOT EXISTS `EmailIndex` ON portal.`AspNetUsers` (`NormalizedEmail`);

CREATE INDEX IF NOT EXISTS `IX_AspNetUsers_TenantId` ON portal.`AspNetUsers` (`TenantId`);

CREATE UNIQUE INDEX IF NOT EXISTS `UserNameIndex` ON portal.`AspNetUsers` (`NormalizedUserName`);

CREATE INDEX IF NOT EXISTS `IX_audit_log_at` ON portal.`audit_log` (`at`);

CREATE INDEX IF NOT EXISTS `IX_audit_log_tenant_key_at` ON portal.`audit_log` (`tenant_key`, `at`);

CREATE UNIQUE INDEX IF NOT EXISTS `IX_tenant_contexts_context` ON portal.`tenant_contexts` (`context`);

CREATE UNIQUE INDEX IF NOT EXISTS `IX_tenants_tenant_key` ON portal.`tenants` (`tenant_key`);
