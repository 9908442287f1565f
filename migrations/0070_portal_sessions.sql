-- Server-side sign-in sessions: the auth cookie carries a session id, and a cookie whose row is gone is refused on
-- its next request. Sign-out deletes the row, and locking, removing, a role or tenant change and a password reset
-- delete all of the user's rows, so a copied cookie stops working within seconds instead of when it expires.
-- Removing the user removes their sessions with them.

CREATE TABLE IF NOT EXISTS portal.`portal_sessions` (
    `id` char(43) CHARACTER SET ascii NOT NULL,
    `user_id` varchar(255) CHARACTER SET utf8mb4 NOT NULL,
    `created_at` datetime(6) NOT NULL,
    CONSTRAINT `PK_portal_sessions` PRIMARY KEY (`id`),
    CONSTRAINT `FK_portal_sessions_AspNetUsers_user_id` FOREIGN KEY (`user_id`) REFERENCES portal.`AspNetUsers` (`Id`) ON DELETE CASCADE
) ENGINE=InnoDB CHARACTER SET=utf8mb4;

CREATE INDEX IF NOT EXISTS `IX_portal_sessions_user_id` ON portal.`portal_sessions` (`user_id`);
CREATE INDEX IF NOT EXISTS `IX_portal_sessions_created_at` ON portal.`portal_sessions` (`created_at`);
