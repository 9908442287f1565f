-- Asterisk finds a voicemail box by (context, mailbox): a second row of the pair is a box nobody reaches, and saves
-- racing from several tabs made such rows. The unique key makes the database refuse them.
--
-- Only on an asteriskdb the portal created: a hand-made one is never altered silently (the schema check lists the
-- change for its operator instead), and where duplicates exist already the key cannot be made: the schema check lists
-- them, and the key is added once they are gone. Prepared, because MariaDB has no IF around DDL outside a procedure.
SET @portal_owned = (SELECT COUNT(*) FROM portal.settings WHERE name = 'asterisk_schema' AND value = 'created-by-portal');
SET @duplicates = (SELECT COUNT(*) FROM (SELECT 1 FROM asteriskdb.voicemail GROUP BY context, mailbox HAVING COUNT(*) > 1) d);
SET @ddl = IF(@portal_owned = 1 AND @duplicates = 0,
    'ALTER TABLE asteriskdb.voicemail DROP INDEX IF EXISTS context_mailbox, ADD UNIQUE INDEX context_mailbox (context, mailbox)',
    'DO 0');
PREPARE unique_mailbox FROM @ddl;
EXECUTE unique_mailbox;
DEALLOCATE PREPARE unique_mailbox;
