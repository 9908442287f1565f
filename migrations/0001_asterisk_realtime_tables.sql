-- The four Asterisk Realtime (ARA) tables, as the classic schema has them (column names, types, lengths,
-- defaults, keys), with ENGINE=InnoDB instead of TYPE=MyISAM so writes are transactional, utf8mb4, and what a
-- real chan_sip needs to register reliably:
--   fullcontact varchar(1024), useragent varchar(255): a longer value makes chan_sip's whole registration UPDATE
--     fail under strict mode (the phone still gets 200 OK; the row stays stale), and res_config_mysql stores each
--     ';' of a Contact as '^3B' (a 247-character Contact with 14 ';' took 275);
--   callbackextension: chan_sip 11 selects it at every sip reload ("Unknown column 'callbackextension'");
--   voicemail.password varchar(80): what the phone may set (app_voicemail keeps 80; at start it warns
--     "Column 'password' should be at least 10 long", and a longer new password is lost while the caller hears
--     "password changed");
--   ipaddr varchar(45): room for IPv6;
--   defaultuser, useragent, lastms, regserver: chan_sip writes them and warns on every registration without them;
--   regexten: what chan_sip reads (not the 1.2-era regex).
-- CREATE TABLE IF NOT EXISTS: on an existing asteriskdb made by hand nothing here touches the tables; the
-- portal's schema check lists what is missing there and applies it only when the operator asks.

CREATE TABLE IF NOT EXISTS asteriskdb.sip (
  id int(11) NOT NULL AUTO_INCREMENT,
  name varchar(80) NOT NULL DEFAULT '',
  accountcode varchar(20) DEFAULT NULL,
  amaflags varchar(7) DEFAULT NULL,
  callgroup varchar(10) DEFAULT NULL,
  callerid varchar(80) DEFAULT NULL,
  canreinvite char(3) DEFAULT 'yes',
  context varchar(80) DEFAULT NULL,
  defaultip varchar(15) DEFAULT NULL,
  dtmfmode varchar(7) DEFAULT NULL,
  fromuser varchar(80) DEFAULT NULL,
  fromdomain varchar(80) DEFAULT NULL,
  fullcontact varchar(1024) DEFAULT NULL,
  host varchar(31) NOT NULL DEFAULT '',
  insecure varchar(4) DEFAULT NULL,
  language char(2) DEFAULT NULL,
  mailbox varchar(50) DEFAULT NULL,
  md5secret varchar(80) DEFAULT NULL,
  nat varchar(5) NOT NULL DEFAULT 'no',
  deny varchar(95) DEFAULT NULL,
  permit varchar(95) DEFAULT NULL,
  mask varchar(95) DEFAULT NULL,
  pickupgroup varchar(10) DEFAULT NULL,
  port varchar(5) NOT NULL DEFAULT '',
  qualify char(3) DEFAULT NULL,
  restrictcid char(1) DEFAULT NULL,
  rtptimeout char(3) DEFAULT NULL,
  rtpholdtimeout char(3) DEFAULT NULL,
  secret varchar(80) DEFAULT NULL,
  type varchar(6) NOT NULL DEFAULT 'friend',
  username varchar(80) NOT NULL DEFAULT '',
  disallow varchar(100) DEFAULT 'all',
  allow varchar(100) DEFAULT 'g729;ilbc;gsm;ulaw;alaw',
  musiconhold varchar(100) DEFAULT NULL,
  regseconds int(11) NOT NULL DEFAULT 0,
  ipaddr varchar(45) NOT NULL DEFAULT '',
  regexten varchar(80) NOT NULL DEFAULT '',
  cancallforward char(3) DEFAULT 'yes',
  defaultuser varchar(80) NOT NULL DEFAULT '',
  useragent varchar(255) DEFAULT NULL,
  lastms int(11) NOT NULL DEFAULT 0,
  regserver varchar(100) DEFAULT NULL,
  callbackextension varchar(80) DEFAULT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY name (name),
  KEY name_2 (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 ROW_FORMAT=DYNAMIC;

CREATE TABLE IF NOT EXISTS asteriskdb.extensions (
  id int(11) NOT NULL AUTO_INCREMENT,
  context varchar(20) NOT NULL DEFAULT '',
  exten varchar(20) NOT NULL DEFAULT '',
  priority tinyint(4) NOT NULL DEFAULT 0,
  app varchar(20) NOT NULL DEFAULT '',
  appdata varchar(128) NOT NULL DEFAULT '',
  PRIMARY KEY (context, exten, priority),
  KEY id (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS asteriskdb.voicemail (
  uniqueid int(11) NOT NULL AUTO_INCREMENT,
  customer_id varchar(11) NOT NULL DEFAULT '0',
  context varchar(50) NOT NULL DEFAULT '',
  mailbox varchar(11) NOT NULL DEFAULT '0',
  password varchar(80) NOT NULL DEFAULT '0',
  fullname varchar(150) NOT NULL DEFAULT '',
  email varchar(50) NOT NULL DEFAULT '',
  pager varchar(50) NOT NULL DEFAULT '',
  tz varchar(10) NOT NULL DEFAULT 'central',
  attach varchar(4) NOT NULL DEFAULT 'yes',
  saycid varchar(4) NOT NULL DEFAULT 'yes',
  dialout varchar(10) NOT NULL DEFAULT '',
  callback varchar(10) NOT NULL DEFAULT '',
  review varchar(4) NOT NULL DEFAULT 'no',
  operator varchar(4) NOT NULL DEFAULT 'no',
  envelope varchar(4) NOT NULL DEFAULT 'no',
  sayduration varchar(4) NOT NULL DEFAULT 'no',
  saydurationm tinyint(4) NOT NULL DEFAULT 1,
  sendvoicemail varchar(4) NOT NULL DEFAULT 'no',
  `delete` varchar(4) NOT NULL DEFAULT 'no',
  nextaftercmd varchar(4) NOT NULL DEFAULT 'yes',
  forcename varchar(4) NOT NULL DEFAULT 'no',
  forcegreetings varchar(4) NOT NULL DEFAULT 'no',
  hidefromdir varchar(4) NOT NULL DEFAULT 'yes',
  stamp timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(),
  PRIMARY KEY (uniqueid),
  KEY mailbox_context (mailbox, context)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS asteriskdb.pins (
  id int(11) NOT NULL AUTO_INCREMENT,
  company varchar(20) NOT NULL DEFAULT '',
  pin varchar(20) NOT NULL DEFAULT '',
  active char(3) NOT NULL DEFAULT 'yes',
  PRIMARY KEY (id),
  KEY pin (pin)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
