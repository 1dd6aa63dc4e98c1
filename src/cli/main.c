/* SPDX-License-Identifier: MIT
 * main.c: the holdcheck command: dispatch to a subcommand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "clock.h"
#include "config.h"
#include "err.h"

#define HOLDCHECK_VERSION "0.1.0"

int cli_notice(int argc, char **argv); /* src/cli/notice.c; belongs in cli.h */
int cli_report(int argc, char **argv); /* src/cli/report.c, docs/reports.md */
int cli_task_force(int argc, char **argv); /* src/cli/taskforce.c, docs/reports.md */
int cli_victim(int argc, char **argv);     /* src/cli/victim.c, docs/public.md */

static void usage(FILE *f)
{
    fputs("usage: holdcheck COMMAND [ARGS]\n"
          "       holdcheck COMMAND --help     (or: holdcheck help COMMAND)\n"
          "\n"
          "Commands:\n"
          "  decide [--explain] [--catalog DIR] [FILE|-]\n"
          "                                decide JSON cases (docs/case-format.md)\n"
          "  serve [--config PATH] [--db PATH] [--listen HOST:PORT] [--threads N] ...\n"
          "                                serve the HTTP API (docs/server.md); its settings\n"
          "                                come from a file, HOLDCHECK_* variables and flags\n"
          "  migrate --db PATH             create or upgrade a database\n"
          "  replay --db PATH --from D --to D [--policy FILE] [--as-of D]\n"
          "                                what stored requests would get under other settings\n"
          "  backup --db PATH --out FILE   copy a database in use, consistently\n"
          "  demo --db PATH [--bookings N] [--seed S] [--today YYYY-MM-DD]\n"
          "                                fill a new database with a synthetic county\n"
          "  audit verify|bind --db PATH   check the audit log's hash chain and the records it\n"
          "                                vouches for; bind rows written before binding\n"
          "  user add|list|disable|token|password|revoke --db PATH ...\n"
          "                                manage the server's users and API tokens\n"
          "  import --db PATH [--kind K] [--format csv|jsonl] FILE...\n"
          "                                import records from a jail management system\n"
          "  export --db PATH --kind K [--format csv|jsonl] [--out FILE]\n"
          "                                export stored records in the import format\n"
          "  public-export --db PATH --format csv|jsonl [--out FILE]\n"
          "                                the published fields of the public list\n"
          "  report [--check] KIND --db PATH [--year Y | --from D --to D] ...\n"
          "                                a statutory report (docs/reports.md): doj-transfers,\n"
          "                                releases-without-notice, truth-forum, cpra, task-force\n"
          "  task-force add|arrests|list --db PATH ...\n"
          "                                the register of joint law enforcement task forces\n"
          "                                (Gov. Code 7284.6(c)(1)) the task-force report reads\n"
          "  victim add|list|remove --db PATH ...\n"
          "                                victim notification registrations (PC 646.92)\n"
          "  notice owed|render|check-texts ...\n"
          "                                the TRUTH Act notices owed; render one as HTML or PDF\n"
          "  readlog [prune] --db PATH ... list or export the read-access log; prune it\n"
          "  routes                        print the HTTP routing table (for tests)\n"
          "  version                       print the version\n"
          "  help [COMMAND]                this text, or a command's\n"
          "\n"
          "Exit status: 0 success; 1 some input invalid (or the audit chain broken);\n"
          "2 usage or configuration error, or an unreadable file; 3 internal error.\n"
          "\n"
          "holdcheck applies California law (Gov. Code 7282-7284.12, TRUST, Values and TRUTH\n"
          "Acts) to requests from immigration authorities about people in local custody.\n"
          "Manual: man holdcheck (docs/holdcheck.1).\n", f);
}

/* The complete help of each command, printed by `holdcheck COMMAND --help` and `holdcheck
 * help COMMAND`. Kept here, in one table, so every command's help has the same shape: usage
 * lines, what it does, every option, exit status. The commands' own usage() texts are the short
 * reminders printed after a usage error. */
struct help_entry {
    const char *name;
    const char *help;
};

static const struct help_entry helps[] = {
    {"decide",
     "usage: holdcheck decide [--explain] [--catalog DIR] [FILE|-]\n"
     "\n"
     "Decide each JSON case in FILE, or standard input when FILE is '-' or missing: one case\n"
     "(it may span lines) or JSON Lines. Writes one JSON decision a line, in input order; an\n"
     "invalid case is answered in its place by {\"line\",\"error\",\"field\"} and reported on\n"
     "stderr. Format: docs/case-format.md.\n"
     "\n"
     "Options:\n"
     "  --explain        write plain-language reports instead of JSON\n"
     "  --catalog DIR    read the offense tables from DIR/ca and DIR/federal (*.tsv) instead\n"
     "                   of the catalog built into the binary\n"
     "  -h, --help       this text\n"
     "\n"
     "Exit status: 0 all decided (review outcomes included); 1 some input invalid;\n"
     "2 usage error or unreadable input; 3 internal error.\n"},
    {"serve",
     "usage: holdcheck serve [--config PATH] [--db PATH] [--listen HOST:PORT] [--threads N]\n"
     "                       [--max-body-bytes N] [--session-hours N] [--log-level LEVEL]\n"
     "                       [--catalog DIR] [--allow-remote] [--tls-listen HOST:PORT]\n"
     "                       [--tls-cert PEM] [--tls-key PEM] [--trusted-proxies LIST]\n"
     "                       [--print-config]\n"
     "\n"
     "Serve the HTTP API (docs/server.md) until SIGINT or SIGTERM; SIGHUP reads the TLS\n"
     "certificate and key again. The database must be migrated first (holdcheck migrate);\n"
     "create users and tokens with holdcheck user add.\n"
     "\n"
     "Each setting comes from, in increasing priority: its default, the configuration file,\n"
     "its HOLDCHECK_* environment variable (ignored when empty), its flag. Flags also take\n"
     "the form --name=VALUE.\n"
     "\n"
     "  flag               file key        environment                default\n"
     "  --db PATH          db              HOLDCHECK_DB               (required)\n"
     "  --listen HOST:PORT listen          HOLDCHECK_LISTEN           127.0.0.1:8080\n"
     "  --threads N        threads         HOLDCHECK_THREADS          one per CPU (1..64)\n"
     "  --max-body-bytes N max_body_bytes  HOLDCHECK_MAX_BODY_BYTES   1048576 (1KiB..64MiB)\n"
     "  --session-hours N  session_hours   HOLDCHECK_SESSION_HOURS    8 (1..24)\n"
     "  --log-level LEVEL  log_level       HOLDCHECK_LOG_LEVEL        info\n"
     "  --catalog DIR      catalog_dir     HOLDCHECK_CATALOG_DIR      (built-in catalog)\n"
     "  --allow-remote     allow_remote    HOLDCHECK_ALLOW_REMOTE     no\n"
     "  --answer-cache-bytes N  answer_cache_bytes  HOLDCHECK_ANSWER_CACHE_BYTES  24MiB (0: off)\n"
     "\n"},
    {"migrate",
     "usage: holdcheck migrate --db PATH\n"
     "\n"
     "Create the SQLite database at PATH if it is missing and apply every pending schema\n"
     "migration. Running it again is harmless.\n"
     "\n"
     "Options:\n"
     "  --db PATH        the database\n"
     "  -h, --help       this text\n"
     "\n"
     "Exit status: 0 done; 2 usage error or unopenable database; 3 a migration failed or the\n"
     "database is newer than this holdcheck.\n"},
    {"backup",
     "usage: holdcheck backup --db PATH --out FILE\n"
     "\n"
     "Copy the database at PATH to the new file FILE while the server keeps serving and\n"
     "writing: the copy is one consistent snapshot (SQLite's online backup API, one read\n"
     "transaction), holds every commit made before it began, is made for its owner alone\n"
     "(mode 0600, whatever the umask) and is checked with PRAGMA integrity_check. An existing\n"
     "FILE is never overwritten. To restore: stop the server, copy FILE over PATH, remove\n"
     "PATH-wal and PATH-shm, run holdcheck audit verify --db PATH (docs/operations.md).\n"
     "\n"
     "Options:\n"
     "  --db PATH        the database to copy\n"
     "  --out FILE       the copy (a new file)\n"
     "  -h, --help       this text\n"
     "\n"
     "Exit status: 0 copied and checked; 2 usage error, no such database, or FILE exists;\n"
     "3 the copy failed or does not check (it is removed).\n"},
    {"replay",
     "usage: holdcheck replay --db PATH --from YYYY-MM-DD --to YYYY-MM-DD [--policy FILE]\n"
     "                        [--as-of YYYY-MM-DD] [--format text|json]\n"
     "                        [--catalog DIR | --proposed TABLE]\n"
     "\n"
     "What-if replay: decide again every decided request received from --from to --to\n"
     "(inclusive), from the case its newest decision stored, under other agency settings\n"
     "and/or another day's law, and print each request whose outcome would differ: the old\n"
     "outcome (the engine's, and the one in force), the new one, the provisions it cites and\n"
     "the facts it lacks, and whether the catalog or engine changed since it was decided;\n"
     "then the count of each (old, new) pair. Nothing is written: one read snapshot.\n"
     "\n"
     "Options:\n"
     "  --db PATH           the database\n"
     "  --from, --to DATE   the period, on the date each request was received\n"
     "  --policy FILE       agency settings as GET /api/v1/settings writes them\n"
     "                      (release_dates_public, personal_info_public, policy) and\n"
     "                      optionally settings (case-format.md); a member given replaces\n"
     "                      the stored one\n"
     "  --as-of DATE        decide under the law in force on DATE (lookbacks end there)\n"
     "  --format text|json  text (default) or one JSON object (docs/replay.md)\n"
     "  --catalog DIR       the offense tables under DIR instead of the built-in ones\n"
     "  --proposed TABLE    a proposed law change (a bill): catalog rows, each dated from\n"
     "                      the day it would take effect, added to the built-in tables for\n"
     "                      this replay only; with --as-of on or after that day\n"
     "  -h, --help          this text\n"
     "\n"
     "Exit status: 0 done; 2 usage error, a bad option or settings file (named), or no such\n"
     "database; 3 the database or the catalog failed.\n"},
    {"demo",
     "usage: holdcheck demo --db PATH [--bookings N] [--seed S] [--today YYYY-MM-DD]\n"
     "\n"
     "Fill an empty, migrated database with a synthetic county (obviously fake names), and\n"
     "decide a few percent of immigration requests through the normal intake path. The same\n"
     "seed and --today give the same records.\n"
     "\n"
     "Options:\n"
     "  --db PATH            the database (migrated, empty)\n"
     "  --bookings N         number of bookings, 1..999999 (default 2000)\n"
     "  --seed S             random seed, a whole number (default 1)\n"
     "  --today YYYY-MM-DD   the date to build the county around (default: today)\n"
     "  -h, --help           this text\n"
     "\n"
     "Exit status: 0 done; 2 usage error; 3 the database or the catalog failed.\n"},
    {"audit",
     "usage: holdcheck audit verify --db PATH [--anchor SEQ:HASH]\n"
     "       holdcheck audit bind --db PATH\n"
     "\n"
     "verify: recompute the hash chain of the audit log and report whether it is intact,\n"
     "naming the first entry that fails; then check every decision, override, notice and\n"
     "booking against the latest entry that bound it, naming each row (table and id) that was\n"
     "edited or replaced, deleted, or written around holdcheck.\n"
     "bind: once after upgrading, bind the rows no entry binds (written before rows were\n"
     "bound), in one entry that says it vouches for them as they are now.\n"
     "\n"
     "Options:\n"
     "  --db PATH           the database\n"
     "  --anchor SEQ:HASH   verify: also check that entry SEQ still has HASH\n"
     "  -h, --help          this text\n"
     "\n"
     "Exit status: 0 intact; 1 broken (the first bad seq is printed) or rows disagree with\n"
     "the chain (each is printed); 2 usage error or unreadable database; 3 internal error.\n"},
    {"user",
     "usage: holdcheck user add --db PATH NAME --role ROLE\n"
     "       holdcheck user list --db PATH\n"
     "       holdcheck user disable --db PATH NAME\n"
     "       holdcheck user token --db PATH NAME\n"
     "       holdcheck user password --db PATH NAME\n"
     "       holdcheck user revoke --db PATH NAME\n"
     "\n"
     "Manage the server's users. add creates NAME with a generated password and API token,\n"
     "printed once (the database keeps only their hashes); the names the program itself\n"
     "writes in the audit log (public, cli, demo, system, delivery, import) are refused.\n"
     "token issues another API token to an enabled user; password replaces the user's\n"
     "password with a generated one (printed once) and ends their sessions; revoke deletes\n"
     "every API token of the user and ends their sessions (token issues a new one); disable\n"
     "stops the user's password, tokens and sessions at once; list prints name, role,\n"
     "creation time and state, one user a line.\n"
     "\n"
     "Options:\n"
     "  --db PATH        the database\n"
     "  --role ROLE      clerk, supervisor, auditor or admin (docs/server.md, \"Roles\")\n"
     "  -h, --help       this text\n"
     "\n"
     "NAME is 1-64 letters, digits, '.', '_', '-' or '@'.\n"
     "\n"
     "Exit status: 0 done; 1 the user exists already (add) or no such enabled user;\n"
     "2 usage error or unopenable database; 3 internal error.\n"},
    {"notice",
     "usage: holdcheck notice owed --type T --outcome O [--release-date-provided]\n"
     "                             [--intent I] [--not-civil] [--as-of YYYY-MM-DD]\n"
     "                             [--receipt-hours N] [--promptly-hours N] [--json]\n"
     "       holdcheck notice [render] --kind K --lang L --format html|pdf --out FILE\n"
     "                             [--facts FILE] [--paper letter|a4] [--texts DIR]\n"
     "                             [--person NAME] [--booking NO] [--agency NAME] [--type T]\n"
     "                             [--form F] [--received TIME] [--outcome O]\n"
     "                             [--provision CITE]... [--intent I] [--release-date DATE]\n"
     "                             [--to person|attorney|designee] [--to-name NAME]\n"
     "                             [--generated TIME]\n"
     "       holdcheck notice check-texts [DIR]\n"
     "\n"
     "The notices Gov. Code 7283.1 (TRUTH Act) requires: copy (a copy of a hold, notification\n"
     "or transfer request, and whether the agency intends to comply; 7283.1(b)), release (the\n"
     "release date given to ICE, to the person and to their attorney or one designee;\n"
     "7283.1(b)) and consent (the interview consent form; 7283.1(a)). docs/notices.md.\n"
     "\n"
     "owed prints the notices a request makes owed, one a line: kind, recipient, subdivision,\n"
     "the statute's words, the clock (receipt+8h, ice_notified+24h, interview+0h; before the\n"
     "release where it applies), the intent, and flags; --json writes JSON Lines.\n"
     "  --type T                 request type (docs/case-format.md), e.g. hold, interview\n"
     "  --outcome O              permitted, permitted_with_conditions, prohibited, review\n"
     "  --release-date-provided  the agency gave ICE the person's release date\n"
     "  --intent I               undecided, yes or no (default: no if prohibited, else\n"
     "                           undecided)\n"
     "  --not-civil              the interview is not about civil immigration violations\n"
     "  --as-of YYYY-MM-DD       the law of that day (the TRUTH Act binds from 2017-01-01)\n"
     "  --receipt-hours N        the reading of \"upon receiving\" (default 8, 0..720)\n"
     "  --promptly-hours N       the reading of \"promptly\" (default 24, 0..720)\n"
     "\n"
     "render (the word may be left out) writes one notice in one language:\n"
     "  --kind K                 copy, release or consent\n"
     "  --lang L                 en, es, zh (traditional characters), tl, vi or ko\n"
     "  --format F               html (one self-contained page) or pdf (pango + cairo)\n"
     "  --out FILE               where to write it; - for standard output\n"
     "  --facts FILE             the facts as JSON (docs/notices.md); flags override it\n"
     "  --paper P                letter (default) or a4\n"
     "  --texts DIR              read DIR/LANG.tsv instead of the built-in translations\n"
     "  --person, --booking, --agency, --type, --form, --received, --outcome,\n"
     "  --provision (repeat), --intent, --release-date, --to, --to-name, --generated:\n"
     "                           the facts, as in the JSON file\n"
     "\n"
     "check-texts checks DIR/LANG.tsv (default data/notices) and names the file and line of\n"
     "the first problem.\n"
     "\n"
     "Options:\n"
     "  -h, --help               this text\n"
     "\n"
     "Exit status: 0 done; 1 invalid facts or translation file; 2 usage error or unreadable\n"
     "file; 3 the PDF could not be written, or a script has no font installed.\n"},
    {"routes",
     "usage: holdcheck routes\n"
     "\n"
     "Print the HTTP routing table, one route a line as METHOD PATTERN ROLE,ROLE... in table\n"
     "order (tests/http/test_roles.sh compares it with the OpenAPI document).\n"
     "\n"
     "Options:\n"
     "  -h, --help       this text\n"
     "\n"
     "Exit status: 0 done; 2 usage error.\n"},
    {"readlog",
     "usage: holdcheck readlog --db PATH [--user NAME] [--from DATE] [--to DATE]\n"
     "                         [--kind KIND] [--object ID] [--format json|csv]\n"
     "       holdcheck readlog prune --db PATH [--days N]\n"
     "\n"
     "The read-access log (docs/operations.md, \"Read-access log\"): who read which record,\n"
     "when, from where, with what answer. Prints every matching entry, oldest first, one JSON\n"
     "object a line (json, the default) or as CSV with a header; this reading is logged too.\n"
     "prune deletes the entries older than N days (default 365; 0 keeps them all); the\n"
     "server prunes by read_log_days itself at start and once a day.\n"
     "\n"
     "Options:\n"
     "  --db PATH        the database\n"
     "  --user NAME      entries of this user\n"
     "  --from DATE      from this day (YYYY-MM-DD, UTC) or time (with Z or an offset)\n"
     "  --to DATE        to this day, inclusive, or before this time\n"
     "  --kind KIND      person, booking, request, notice, report, audit, user, search,\n"
     "                   delivery, read_log or lost\n"
     "  --object ID      the object read: an id, a booking number, a report's kind\n"
     "  --cursor N       only entries after id N\n"
     "  --format F       json (JSON Lines, default) or csv\n"
     "  --days N         prune: keep N days (0..36500; 0: keep everything)\n"
     "  -h, --help       this text\n"
     "\n"
     "Exit status: 0 done; 2 usage error, a bad option (named) or unreadable database;\n"
     "3 internal error.\n"},
    {"version",
     "usage: holdcheck version\n"
     "       holdcheck --version\n"
     "\n"
     "Print the version.\n"
     "\n"
     "Options:\n"
     "  -h, --help       this text\n"
     "\n"
     "Exit status: 0.\n"},
    {"task-force",
     "usage: holdcheck task-force add --db PATH --name NAME --purpose TEXT\n"
     "                                --members \"AGENCY; AGENCY; ...\" --joined YYYY-MM-DD\n"
     "                                [--left YYYY-MM-DD]\n"
     "       holdcheck task-force arrests --db PATH --task-force ID|NAME --from YYYY-MM-DD\n"
     "                                --to YYYY-MM-DD --arrests N --immigration-arrests N\n"
     "                                [--source TEXT]\n"
     "       holdcheck task-force list --db PATH [--format text|json]\n"
     "\n"
     "The register of the joint law enforcement task forces the agency is a member of, which\n"
     "`holdcheck report task-force` reads (Gov. Code 7284.6(c)(1), docs/reports.md).\n"
     "add: a task force, its purpose, the federal, state and local agencies involved\n"
     "(separated by ';') and the days the agency joined and, if it did, left.\n"
     "arrests: the arrests the task force made from --from to --to (both days included) and\n"
     "how many people it arrested for immigration enforcement purposes (at most --arrests).\n"
     "The period must lie within the membership and overlap no other entry of the task force.\n"
     "list: the register, as text or JSON.\n"
     "Every write goes with its audit entry; nothing in the register is ever changed or\n"
     "deleted (correcting an entry is not possible yet: docs/reports.md).\n"
     "\n"
     "Exit status: 0 done; 1 a value refused (the option is named); 2 usage error or no such\n"
     "database; 3 internal error.\n"},
    {"victim",
     "usage: holdcheck victim add --db PATH --booking BOOKING_NO --name NAME --address EMAIL\n"
     "                            [--relation victim|designee|family|witness]\n"
     "                            [--lang en|es|zh|tl|vi|ko] [--follows-person yes|no]\n"
     "       holdcheck victim list --db PATH [--booking BOOKING_NO]\n"
     "       holdcheck victim remove --db PATH --id ID\n"
     "\n"
     "Victim notification (Penal Code 646.92, 679.03; docs/public.md): a victim, or a person\n"
     "the victim designates, registered for a booking (or, with --follows-person yes, for every\n"
     "booking of its person) is sent a notice of release, transfer, escape or death by email in\n"
     "their language, before any public subscriber and whatever the publication policy.\n"
     "add: register (relation victim and language en unless given).\n"
     "list: the registrations, newest first, with names and addresses (tab-separated).\n"
     "remove: end a registration; its notices not yet sent are cancelled.\n"
     "Each write goes with its audit entry, which never holds the name or the address.\n"
     "\n"
     "Exit status: 0 done; 1 a value refused (the option is named); 2 usage error or no such\n"
     "database; 3 internal error.\n"},
    {"help",
     "usage: holdcheck help [COMMAND]\n"
     "       holdcheck --help\n"
     "\n"
     "Print the list of commands, or COMMAND's help (the same as holdcheck COMMAND --help).\n"
     "\n"
     "Exit status: 0; 2 unknown command.\n"},
};

/* What follows a command's text in helps[] when the whole is longer than one string literal
 * may be (C11 guarantees 4095 bytes): printed right after it. */
static const struct help_entry helps_rest[] = {
    {"serve",
     "  HTTPS and proxies (docs/operations.md, \"TLS and proxies\"):\n"
     "  --tls-listen HOST:PORT      tls_listen       HOLDCHECK_TLS_LISTEN   (none: no HTTPS)\n"
     "  --tls-cert PEM              tls_cert         HOLDCHECK_TLS_CERT     (certificate chain)\n"
     "  --tls-key PEM               tls_key          HOLDCHECK_TLS_KEY      (its private key)\n"
     "  --hsts-max-age S            hsts_max_age     HOLDCHECK_HSTS_MAX_AGE 31536000 (0: none)\n"
     "  --trusted-proxies LIST      trusted_proxies  HOLDCHECK_TRUSTED_PROXIES  (none)\n"
     "  --proxy-header NAME         proxy_header     HOLDCHECK_PROXY_HEADER x-forwarded-for\n"
     "                                               (or forwarded)\n"
     "  --http2                     http2            HOLDCHECK_HTTP2        no (h2 and h2c)\n"
     "\n"
     "  The public portal and subscriptions (docs/public.md):\n"
     "  --public-rate N             public_rate             10 a second per address (0: none)\n"
     "  --public-burst N            public_burst            60\n"
     "  --public-max-age S          public_max_age          60 (Cache-Control of public answers)\n"
     "  --public-base-url URL       public_base_url         http://LISTEN (links in messages)\n"
     "  --public-status-seconds S   public_status_seconds   10\n"
     "  --dob-searches-per-name N   dob_searches_per_name   20\n"
     "  --snapshot-dir DIR          snapshot_dir            DB.snapshots (daily exports)\n"
     "  --snapshot-keep-days N      snapshot_keep_days      30\n"
     "  --export-refresh-seconds S  export_refresh_seconds  900\n"
     "  --smtp-relay HOST:PORT      smtp_relay              (none: emails wait in the queue)\n"
     "  --smtp-from ADDR            smtp_from               holdcheck@localhost\n"
     "  --smtp-tls MODE, --mail-outbox DIR, --tls-ca-file PEM: docs/public.md, \"Mail\"\n"
     "  --delivery-retry-seconds S  delivery_retry_seconds  30 (first retry; then backoff)\n"
     "  --webhook-allow-private     webhook_allow_private   no (webhooks to private addresses)\n"
     "  --sms-gateway-url URL       sms_gateway_url         (none: no SMS subscriptions)\n"
     "  --sms-auth-header, --sms-body-template, --sms-from, --sms-ca-file,\n"
     "  --sms-inbound-secret: docs/public.md, \"SMS\"\n"
     "  --read-log-days N           read_log_days           365 (read-access log; 0: forever)\n"
     "  Each has its HOLDCHECK_* variable, the key in capitals.\n"
     "\n"
     "  The agency (docs/configuration.md):\n"
     "  --agency-name NAME          agency_name             (blank on notices)\n"
     "  --agency-address TEXT       agency_address          (none on notices)\n"
     "  --agency-phone PHONE        agency_phone            (none on the public page)\n"
     "  --victim-services-phone PHONE, --victim-services-url URL: on the public page\n"
     "  --duplicate-window-hours N  duplicate_window_hours  24 (0: no duplicate check)\n"
     "  --intent-by WHO             intent_by               clerk (or supervisor)\n"
     "  --notice-receipt-hours N    notice_receipt_hours    8 (\"upon receiving\")\n"
     "  --notice-promptly-hours N   notice_promptly_hours   24 (\"promptly\")\n"
     "\n"
     "  --config PATH      read this configuration file (also HOLDCHECK_CONFIG); by default\n"
     "                     " CLI_CONFIG_DEFAULT_PATH " if it exists\n"
     "  --print-config     print the effective configuration, with where each value came\n"
     "                     from (default, file, env, flag), and exit\n"
     "  -h, --help         this text\n"
     "\n"
     "--listen: port 0 picks a free port. A non-loopback address is refused unless\n"
     "allow_remote is yes: listen speaks plain HTTP, so serve HTTPS on tls_listen (which may\n"
     "listen anywhere; it takes tls_cert and tls_key) or put a TLS proxy in front of it.\n"
     "trusted_proxies: addresses and networks (127.0.0.1, ::1, 10.0.0.0/8) whose\n"
     "X-Forwarded-For (or Forwarded) names the client; from anyone else it is ignored.\n"
     "--max-body-bytes and --session-hours: this build accepts only the defaults\n"
     "(docs/configuration.md, \"Open items\"). LEVEL is error, warn, info (startup banner)\n"
     "or debug (also the effective configuration on stderr). Booleans are yes/no, true/false,\n"
     "on/off or 1/0. File format and every key: docs/configuration.md, man holdcheck.\n"
     "\n"
     "Exit status: 0 stopped cleanly (or --print-config); 2 usage or configuration error,\n"
     "bad address; 3 the socket, the database or the catalog failed.\n"},
};

/* Print cmd's whole help (helps[], then helps_rest[]) to f; cmd must have one. */
static void put_help(const char *cmd, FILE *f)
{
    size_t i;
    fputs(cli_help_text(cmd), f);
    for (i = 0; i < sizeof helps_rest / sizeof helps_rest[0]; i++)
        if (strcmp(helps_rest[i].name, cmd) == 0)
            fputs(helps_rest[i].help, f);
}

const char *cli_help_text(const char *cmd)
{
    size_t i;
    for (i = 0; i < sizeof helps / sizeof helps[0]; i++)
        if (strcmp(helps[i].name, cmd) == 0)
            return helps[i].help;
    return NULL;
}

static int is_help(const char *arg)
{
    return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

/* The subcommands; each is given argv from its own name on. */
static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
} commands[] = {
    {"decide", cli_decide},
    {"serve", cli_serve},
    {"migrate", cli_migrate},
    {"demo", cli_demo},
    {"audit", cli_audit},
    {"user", cli_user},
    {"import", cli_import}, /* docs/import.md */
    {"export", cli_import},
    {"notice", cli_notice},               /* src/cli/notice.c, docs/notices.md */
    {"public-export", cli_public_export}, /* docs/public-api.md */
    {"backup", cli_backup},               /* docs/operations.md */
    {"replay", cli_replay},               /* docs/replay.md */
    {"routes", cli_routes},               /* hidden: for tests/http/test_roles.sh */
    {"report", cli_report},               /* src/cli/report.c, docs/reports.md */
    {"readlog", cli_readlog},             /* src/cli/readlog.c, docs/operations.md */
    {"task-force", cli_task_force},       /* src/cli/taskforce.c, docs/reports.md */
    {"victim", cli_victim},               /* src/cli/victim.c, docs/public.md */
};

/* `holdcheck help [COMMAND]` and `holdcheck --help`. */
static int help(int argc, char **argv)
{
    if (argc < 3) {
        usage(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(argv[2], "import") == 0 || strcmp(argv[2], "export") == 0) {
        /* import.c keeps its own help; ask it. */
        static char help_flag[] = "--help";
        char *args[3];
        args[0] = argv[2];
        args[1] = help_flag;
        args[2] = NULL;
        return cli_import(2, args);
    }
    if (cli_help_text(argv[2]) == NULL) {
        fprintf(stderr, "holdcheck: no such command '%s'\n", argv[2]);
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    put_help(argv[2], stdout);
    return CLI_EXIT_OK;
}

int main(int argc, char **argv)
{
    const char *now;
    int i;
    /* With TZ unset, glibc's localtime() stats /etc/localtime on every call, and h2o calls it
     * for each request it timestamps: one system call a request for nothing. Naming the same
     * file keeps the local time zone and makes glibc read it once. */
    if (getenv("TZ") == NULL)
        setenv("TZ", ":/etc/localtime", 0);
    /* HOLDCHECK_NOW (YYYY-MM-DDTHH:MM:SSZ or seconds since the epoch) fixes the clock of the
     * whole process, so a test can run on a known day (src/common/clock.h). */
    if ((now = getenv("HOLDCHECK_NOW")) != NULL) {
        int64_t t;
        if (hc_clock_parse(now, &t) != HC_OK) {
            fprintf(stderr, "holdcheck: HOLDCHECK_NOW: expected YYYY-MM-DDTHH:MM:SSZ or seconds\n");
            return CLI_EXIT_USAGE;
        }
        hc_clock_set(t);
    }
    if (argc < 2) {
        usage(stderr);
        return CLI_EXIT_USAGE;
    }
    /* -h or --help anywhere after a known command prints that command's help and nothing
     * else happens. */
    if (cli_help_text(argv[1]) != NULL)
        for (i = 2; i < argc; i++)
            if (is_help(argv[i])) {
                put_help(argv[1], stdout);
                return CLI_EXIT_OK;
            }
    for (i = 0; i < (int)(sizeof commands / sizeof commands[0]); i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    if (strcmp(argv[1], "version") == 0 || strcmp(argv[1], "--version") == 0) {
        puts("holdcheck " HOLDCHECK_VERSION);
        return CLI_EXIT_OK;
    }
    if (strcmp(argv[1], "help") == 0 || is_help(argv[1]))
        return help(argc, argv);
    fprintf(stderr, "holdcheck: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return CLI_EXIT_USAGE;
}
