/* SPDX-License-Identifier: MIT
 * deliver.c: the public portal's background threads (deliver.h). The delivery thread owns one
 * database connection and loops: bring the status line up to date, queue advance notices, then
 * work due deliveries one at a time: claim (status "sending", committed), send, and record the
 * outcome at once. A delivery the receiver acknowledged is marked delivered in the next
 * statement; only a crash between the two can send it twice (docs/public.md, "Delivery
 * guarantee"). The snapshot thread, with a connection of its own and at a lower priority
 * (SNAPSHOT_NICE), writes the day's bulk export when the day or the policy changed, or the data
 * changed and refresh_seconds passed: an export of every booking takes seconds, and neither a
 * custody notice nor a lookup waits for it. */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "booking.h"
#include "clock.h"
#include "deliver.h"
#include "log.h"
#include "netio.h"
#include "publish.h"
#include "sms.h"
#include "store.h"
#include "subscribe.h"
#include "url.h"
#include "victims.h"

#define SEND_TIMEOUT_MS 10000
#define SCRATCH_BYTES ((size_t)1 << 20)
#define MSG_MAX 32768
#define BODY_MAX 65536

/* How much lower than the server's loops and the delivery thread the snapshot thread runs
 * (nice; on Linux a thread's own, as the offload pool's: src/http/offload.c). */
#define SNAPSHOT_NICE 10
/* How often the snapshot thread looks whether a snapshot is due. */
#define SNAPSHOT_CHECK_MS 2000

struct deliver;

/* The snapshot thread's own state. */
struct snapshots {
    const struct deliver *dl;   /* its configuration, and the stop flag */
    struct hc_store *st;        /* owned: this thread's connection */
    char *mem;                  /* owned: scratch arena memory */
    struct hc_arena a;
    pthread_t thread;
    int started;
    int64_t version;            /* the snapshot written last: policy version, day, time */
    char date[11];
    char at[21];
    int64_t ms;                 /* when it was written (monotonic), for refresh_seconds */
};

struct deliver {
    struct deliver_config cfg;  /* strings point at the owned copies below */
    char *db_path, *base_url, *smtp_relay, *smtp_from, *snapshot_dir, *mail_outbox, *ca_file;
    char *sms_url, *sms_auth, *sms_template, *sms_from, *sms_ca; /* owned: cfg.sms's strings */
    struct hc_store *st;        /* owned: this thread's connection */
    char *mem;                  /* owned: scratch arena memory */
    struct hc_arena a;
    pthread_t thread;
    int started;
    int curl_started;           /* netio_global_init succeeded */
    atomic_int stop;
    struct snapshots snap;      /* the snapshot thread, when snapshot_dir is set */
};

static char *dup_or_null(const char *s)
{
    return s != NULL ? strdup(s) : NULL;
}

static void log_err(const char *what, const char *detail)
{
    hc_log(HC_LOG_ERROR, "deliver: %s%s%s", what, detail ? ": " : "", detail ? detail : "");
}

static void utc_now(int plus_seconds, char out[HC_CLOCK_UTC_LEN])
{
    hc_clock_utc(hc_clock_now() + plus_seconds, out);
}

static void local_day(int days, char out[HC_CLOCK_DATE_LEN])
{
    hc_clock_local_date(hc_clock_now() + (int64_t)days * 86400, out);
}

/* ------------------------------------------------------------------------------------------ */
/* The export, shared by snapshots and `holdcheck public-export`                               */

struct export_ctx {
    const struct hc_catalog *cat;
    unsigned fields;
    FILE *csv, *jsonl; /* either may be NULL */
    char *buf;         /* BODY_MAX bytes */
    int64_t rows;
    int failed;
};

static int export_row(void *vctx, const struct store_public_row *r)
{
    struct export_ctx *x = vctx;
    struct hc_buf b;
    if (x->csv != NULL) {
        hc_buf_init(&b, x->buf, BODY_MAX);
        publish_csv_row(&b, r, x->fields, x->cat);
        if (b.full || fwrite(b.data, 1, b.len, x->csv) != b.len)
            return x->failed = 1;
    }
    if (x->jsonl != NULL) {
        hc_buf_init(&b, x->buf, BODY_MAX);
        publish_json(&b, r, x->fields, x->cat);
        hc_buf_putc(&b, '\n');
        if (b.full || fwrite(b.data, 1, b.len, x->jsonl) != b.len)
            return x->failed = 1;
    }
    x->rows++;
    return 0;
}

/* One pass over the public population writing CSV and/or JSON Lines. */
static int export_pass(struct hc_store *st, const struct hc_catalog *cat, FILE *csv, FILE *jsonl,
                       int64_t *rows, struct store_public_policy *policy, struct hc_arena *a)
{
    struct store_public_policy p;
    struct store_public_query q;
    struct export_ctx x;
    struct hc_buf b;
    char since[11], head[512];
    int rc;

    if ((rc = store_public_policy_get(st, a, &p)) != HC_OK)
        return rc;
    memset(&q, 0, sizeof q);
    q.fields = p.fields;
    local_day(-p.recent_days, since);
    q.released_since = since;
    memset(&x, 0, sizeof x);
    x.cat = cat;
    x.fields = p.fields;
    x.csv = csv;
    x.jsonl = jsonl;
    if ((x.buf = malloc(BODY_MAX)) == NULL)
        return HC_ENOMEM;
    if (csv != NULL) {
        hc_buf_init(&b, head, sizeof head);
        publish_csv_header(&b, p.fields);
        if (fwrite(b.data, 1, b.len, csv) != b.len)
            x.failed = 1;
    }
    rc = store_public_export(st, &q, export_row, &x);
    if (x.failed || (csv && ferror(csv)) || (jsonl && ferror(jsonl)))
        rc = HC_EIO;
    free(x.buf);
    if (rc == HC_OK) {
        *rows = x.rows;
        if (policy != NULL)
            *policy = p;
    }
    return rc;
}

int deliver_export(struct hc_store *st, const struct hc_catalog *cat, int csv, FILE *f,
                   int64_t *rows, struct store_public_policy *policy)
{
    char mem[4096];
    struct hc_arena a;
    hc_arena_init(&a, mem, sizeof mem);
    return export_pass(st, cat, csv ? f : NULL, csv ? NULL : f, rows, policy, &a);
}

/* ------------------------------------------------------------------------------------------ */
/* Snapshots                                                                                  */

static int write_snapshot(struct snapshots *sn, const char *day)
{
    struct store_public_policy p;
    struct store_snapshot snap;
    char tcsv[4200], tjs[4200], fcsv[4200], fjs[4200], at[21];
    FILE *csv = NULL, *js = NULL;
    int64_t rows = 0;
    int rc;

    snprintf(tcsv, sizeof tcsv, "%s/.%s.csv.tmp", sn->dl->snapshot_dir, day);
    snprintf(tjs, sizeof tjs, "%s/.%s.jsonl.tmp", sn->dl->snapshot_dir, day);
    snprintf(fcsv, sizeof fcsv, "%s/%s.csv", sn->dl->snapshot_dir, day);
    snprintf(fjs, sizeof fjs, "%s/%s.jsonl", sn->dl->snapshot_dir, day);
    if ((csv = fopen(tcsv, "w")) == NULL || (js = fopen(tjs, "w")) == NULL) {
        log_err("cannot write a snapshot", strerror(errno));
        rc = HC_EIO;
        goto out;
    }
    hc_arena_reset(&sn->a);
    rc = export_pass(sn->st, sn->dl->cfg.cat, csv, js, &rows, &p, &sn->a);
    if (fflush(csv) != 0 || fflush(js) != 0 || fsync(fileno(csv)) != 0 || fsync(fileno(js)) != 0)
        rc = HC_EIO;
    fclose(csv);
    fclose(js);
    csv = js = NULL;
    if (rc != HC_OK || rename(tcsv, fcsv) != 0 || rename(tjs, fjs) != 0) {
        log_err("cannot write a snapshot", rc != HC_OK ? hc_strerror(rc) : strerror(errno));
        if (rc == HC_OK)
            rc = HC_EIO;
        goto out;
    }
    utc_now(0, at);
    snap.date = day;
    snap.generated_at = at;
    snap.rows = rows;
    snap.fields = p.fields;
    snap.policy_version = p.version;
    if ((rc = store_snapshot_put(sn->st, &snap)) == HC_OK) {
        sn->version = p.version;
        memcpy(sn->date, day, 11);
        memcpy(sn->at, at, 21);
        sn->ms = hc_clock_mono_ms();
        if (!sn->dl->cfg.quiet)
            hc_log(HC_LOG_INFO, "snapshot %s: %" PRId64 " records", day, rows);
    }
out:
    if (csv != NULL)
        fclose(csv);
    if (js != NULL)
        fclose(js);
    unlink(tcsv);
    unlink(tjs);
    return rc;
}

/* Whether the data changed after the snapshot of today was written, and it is old enough to
 * be written again (refresh_seconds). */
static int snapshot_stale(struct snapshots *sn)
{
    struct store_facility_status *fs = NULL;
    const char *overall = NULL;
    size_t n = 0;
    if (hc_clock_mono_ms() - sn->ms < (int64_t)sn->dl->cfg.refresh_seconds * 1000)
        return 0;
    if (store_public_status(sn->st, &sn->a, &fs, &n, &overall) != HC_OK || overall == NULL)
        return 0;
    return strcmp(overall, sn->at) >= 0;
}

/* Write today's snapshot if the day or the policy changed since the last one, or the data
 * changed and refresh_seconds passed; forget those older than snapshot_keep_days. */
static void snapshot_check(struct snapshots *sn)
{
    struct store_public_policy p;
    struct store_snapshot *s = NULL;
    char today[11], oldest[11];
    size_t n = 0, i;
    int have = 0;

    if (sn->dl->snapshot_dir == NULL)
        return;
    hc_arena_reset(&sn->a);
    if (store_public_policy_get(sn->st, &sn->a, &p) != HC_OK)
        return;
    local_day(0, today);
    if (p.version == sn->version && strcmp(today, sn->date) == 0) {
        if (snapshot_stale(sn))
            write_snapshot(sn, today);
        return;
    }
    if (store_snapshot_list(sn->st, &sn->a, &s, &n) != HC_OK)
        return;
    local_day(-sn->dl->cfg.snapshot_keep_days, oldest);
    for (i = 0; i < n; i++) {
        if (strcmp(s[i].date, today) == 0 && s[i].policy_version == p.version) {
            char path[4200];
            struct stat stt;
            snprintf(path, sizeof path, "%s/%s.jsonl", sn->dl->snapshot_dir, today);
            have = stat(path, &stt) == 0;
            if (have)
                snprintf(sn->at, sizeof sn->at, "%s", s[i].generated_at);
        }
        if (strcmp(s[i].date, oldest) < 0) {
            char path[4200];
            snprintf(path, sizeof path, "%s/%s.csv", sn->dl->snapshot_dir, s[i].date);
            unlink(path);
            snprintf(path, sizeof path, "%s/%s.jsonl", sn->dl->snapshot_dir, s[i].date);
            unlink(path);
            store_snapshot_delete(sn->st, s[i].date);
        }
    }
    if (have) {
        sn->version = p.version;
        memcpy(sn->date, today, 11);
        sn->ms = hc_clock_mono_ms();
        return;
    }
    write_snapshot(sn, today);
}

static void *snapshot_run(void *arg)
{
    struct snapshots *sn = arg;
    int64_t next = 0;
    if (setpriority(PRIO_PROCESS, 0, SNAPSHOT_NICE) != 0)
        hc_log(HC_LOG_WARN, "cannot lower the snapshot thread's priority: %s", strerror(errno));
    while (!atomic_load(&sn->dl->stop)) {
        struct timespec ts = {0, 200 * 1000000L};
        if (hc_clock_mono_ms() >= next) {
            snapshot_check(sn);
            next = hc_clock_mono_ms() + SNAPSHOT_CHECK_MS;
        }
        nanosleep(&ts, NULL);
    }
    return NULL;
}

/* Start the snapshot thread of dl (its snapshot_dir is set). HC_OK, or the failure in d. */
static int snapshots_start(struct deliver *dl, struct hc_diag *d)
{
    struct snapshots *sn = &dl->snap;
    int rc;
    sn->dl = dl;
    if ((sn->mem = malloc(SCRATCH_BYTES)) == NULL)
        return HC_ENOMEM;
    hc_arena_init(&sn->a, sn->mem, SCRATCH_BYTES);
    if ((rc = service_open(dl->cfg.db_open, dl->db_path, STORE_OPEN_BACKGROUND | STORE_OPEN_STREAM,
                           &sn->st, d)) != HC_OK)
        return rc;
    if (pthread_create(&sn->thread, NULL, snapshot_run, sn) != 0) {
        hc_diag_set(d, "", "cannot start the snapshot thread", NULL);
        return HC_EIO;
    }
    sn->started = 1;
    return HC_OK;
}

/* Stop and free dl's snapshot thread (after dl->stop is set), started or not. */
static void snapshots_stop(struct deliver *dl)
{
    struct snapshots *sn = &dl->snap;
    if (sn->started)
        pthread_join(sn->thread, NULL);
    store_close(sn->st);
    free(sn->mem);
}

/* ------------------------------------------------------------------------------------------ */
/* Messages                                                                                   */

int deliver_sign(const char *secret_hex, long long ts, const char *body, size_t len,
                 char out[72])
{
    unsigned char key[crypto_auth_hmacsha256_KEYBYTES], mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state h;
    char tsbuf[24];
    size_t klen = 0;
    if (secret_hex == NULL ||
        sodium_hex2bin(key, sizeof key, secret_hex, strlen(secret_hex), NULL, &klen, NULL) != 0 ||
        klen != sizeof key)
        return -1;
    snprintf(tsbuf, sizeof tsbuf, "%lld.", ts);
    crypto_auth_hmacsha256_init(&h, key, sizeof key);
    crypto_auth_hmacsha256_update(&h, (const unsigned char *)tsbuf, strlen(tsbuf));
    crypto_auth_hmacsha256_update(&h, (const unsigned char *)body, len);
    crypto_auth_hmacsha256_final(&h, mac);
    memcpy(out, "sha256=", 7);
    sodium_bin2hex(out + 7, 65, mac, sizeof mac);
    sodium_memzero(key, sizeof key);
    return 0;
}

/* The challenge a webhook echoes to confirm: derived from the confirmation token, so every
 * attempt sends the same. */
static void challenge_of(const char *confirm_token, char out[33])
{
    unsigned char h[16];
    crypto_generichash(h, sizeof h, (const unsigned char *)confirm_token, strlen(confirm_token),
                       (const unsigned char *)"holdcheck-challenge", 19);
    sodium_bin2hex(out, 33, h, sizeof h);
}

static unsigned kind_bit(const char *kind)
{
    return publish_event_bit(kind); /* 0 for "confirm" */
}

/* The event's data as the policy lets it be told now (a new object). */
static json_t *filtered_data(const char *kind, const char *event_data, unsigned fields)
{
    json_t *in = json_loads(event_data ? event_data : "{}", 0, NULL), *out = json_object();
    static const struct {
        const char *kind, *key;
        unsigned need;
    } keep[] = {
        {"released", "custody_status", STORE_PUB_CUSTODY_STATUS},
        {"released", "released_on", STORE_PUB_RECENTLY_RELEASED},
        {"transferred", "facility", STORE_PUB_FACILITY},
        {"transferred", "previous_facility", STORE_PUB_FACILITY},
        {"release_date", "scheduled_release", STORE_PUB_SCHEDULED_RELEASE},
        {"release_date", "previous_scheduled_release", STORE_PUB_SCHEDULED_RELEASE},
        {"advance_notice", "scheduled_release", STORE_PUB_SCHEDULED_RELEASE},
        {"advance_notice", "days_before", STORE_PUB_SCHEDULED_RELEASE},
    };
    size_t i;
    for (i = 0; in != NULL && i < sizeof keep / sizeof keep[0]; i++) {
        json_t *v;
        if (strcmp(keep[i].kind, kind) != 0 || !publish_allows(fields, PUBLISH_SHOW, keep[i].need))
            continue;
        if ((v = json_object_get(in, keep[i].key)) != NULL)
            json_object_set(out, keep[i].key, v);
    }
    json_decref(in);
    return out;
}

static const char *jget(json_t *o, const char *k)
{
    return json_string_value(json_object_get(o, k));
}

/* The sentence telling of a change to booking no: lead, no, change and value (when not NULL),
 * then since, before and close when before is not NULL, then stop (the language's full stop). */
static void put_change(struct hc_buf *body, const char *lead, const char *no, const char *change,
                       const char *value, const char *since, const char *before, const char *close,
                       const char *stop)
{
    hc_buf_puts(body, lead);
    hc_buf_puts_text(body, no);
    hc_buf_puts(body, change);
    hc_buf_puts_text(body, value);
    if (before != NULL) {
        hc_buf_puts(body, since);
        hc_buf_puts_text(body, before);
        hc_buf_puts(body, close);
    }
    hc_buf_puts(body, stop);
}

/* An email's texts in one language: the subject's and the first paragraph's pieces of each
 * kind of message, put together by email_text around the booking number and the event's
 * values. English and Spanish are the originals; Chinese (Traditional, with the page's term for
 * a booking), Tagalog, Vietnamese and Korean are this program's own translations and NEED
 * CERTIFIED REVIEW by a translator before an agency relies on them (docs/public.md, "Mail"). */
struct mail_texts {
    const char *lang;                   /* the subscription's language code */
    const char *booking;                /* a subject's start, before the number */
    const char *confirm_subj, *confirm_ask, *confirm_how, *confirm_ignore;
    const char *released_subj, *released_lead, *released_change, *released_on, *released_close;
    const char *moved_subj, *moved_lead, *moved_to, *moved_from;
    const char *rebooked_subj, *rebooked_lead, *rebooked_change, *rebooked_on;
    const char *date_subj, *date_lead, *date_now, *date_was;
    const char *advance_subj, *advance_subj_days, *advance_lead, *advance_on, *advance_in,
        *advance_days;
    const char *close;                  /* after a value in parentheses */
    const char *stop;                   /* a sentence's end */
    const char *footer;                 /* the signature line, before the unsubscribe link */
};

static const struct mail_texts mail_langs[] = {
    {"en", "Booking ", "Confirm updates about booking ",
     "Someone asked to send this address updates about booking ",
     ".\r\n\r\nTo confirm, open this link and press the button:\r\n",
     "\r\n\r\nIf it was not you, ignore this message: nothing more will be sent.",
     ": released", "Booking ", " was released", " on ", "",
     ": transferred", "Booking ", " was transferred to ", " (from ",
     ": booked again", "The person of booking ", " was booked again, booking ", " (on ",
     ": release date set", "The scheduled release of booking ", " is now ", " (it was ",
     ": release in ", " days", "Booking ", " is scheduled for release on ", ", in ", " days",
     ")", ".", "\r\n\r\n-- \r\nTo stop these messages: "},
    {"es", "Ingreso ", "Confirme los avisos sobre el ingreso ",
     "Alguien pidió enviar a esta dirección avisos sobre el ingreso ",
     ".\r\n\r\nPara confirmar, abra este enlace y pulse el botón:\r\n",
     "\r\n\r\nSi no fue usted, ignore este mensaje: no se enviará nada más.",
     ": puesto en libertad", "El ingreso ", " fue puesto en libertad", " el ", "",
     ": trasladado", "El ingreso ", " fue trasladado a ", " (desde ",
     ": nuevo ingreso", "La persona del ingreso ", " tiene un nuevo ingreso, ", " (desde el ",
     ": fecha de liberación fijada", "La liberación prevista del ingreso ", " es ahora ",
     " (antes: ",
     ": liberación en ", " días", "La liberación del ingreso ", " está prevista para el ", ", en ",
     " días",
     ")", ".", "\r\n\r\n-- \r\nPara no recibir más avisos: "},
    {"zh", "收押登記編號 ", "請確認通知：收押登記編號 ",
     "有人要求向此地址發送有關收押登記編號 ",
     " 的通知。\r\n\r\n如需確認，請開啟此連結並按下按鈕：\r\n",
     "\r\n\r\n如果不是您本人申請，請忽略此訊息：我們不會再發送任何內容。",
     "：已獲釋", "收押登記編號 ", " 已獲釋放", "，日期：", "",
     "：已轉移", "收押登記編號 ", " 已轉移至 ", "（原設施：",
     "：再次收押", "收押登記編號 ", " 的當事人再次被收押，新編號 ", "（日期：",
     "：已定釋放日期", "收押登記編號 ", " 的預定釋放日期為 ", "（原為：",
     "：", " 天後釋放", "收押登記編號 ", " 預定於 ", " 釋放，還有 ", " 天",
     "）", "。", "\r\n\r\n-- \r\n如不想再收到通知："},
    {"tl", "Booking ", "Kumpirmahin ang mga abiso tungkol sa booking ",
     "May humiling na padalhan ang address na ito ng mga abiso tungkol sa booking ",
     ".\r\n\r\nUpang kumpirmahin, buksan ang link na ito at pindutin ang button:\r\n",
     "\r\n\r\nKung hindi ikaw ito, huwag pansinin ang mensaheng ito: wala nang ipapadala.",
     ": pinalaya", "Ang booking ", " ay pinalaya", " noong ", "",
     ": inilipat", "Ang booking ", " ay inilipat sa ", " (mula sa ",
     ": muling na-book", "Ang tao sa booking ", " ay muling na-book, booking ", " (noong ",
     ": itinakda ang petsa ng paglaya", "Ang nakatakdang paglaya ng booking ", " ay ",
     " (dati: ",
     ": paglaya sa loob ng ", " araw", "Ang booking ", " ay nakatakdang palayain sa ",
     ", sa loob ng ", " araw",
     ")", ".", "\r\n\r\n-- \r\nUpang itigil ang mga mensaheng ito: "},
    {"vi", "Hồ sơ ", "Xác nhận nhận thông báo về hồ sơ ",
     "Có người đã yêu cầu gửi đến địa chỉ này các thông báo về hồ sơ ",
     ".\r\n\r\nĐể xác nhận, hãy mở liên kết này và nhấn nút:\r\n",
     "\r\n\r\nNếu không phải bạn, hãy bỏ qua thư này: sẽ không có thư nào khác được gửi.",
     ": đã được thả", "Hồ sơ ", " đã được thả", " vào ngày ", "",
     ": đã chuyển trại", "Hồ sơ ", " đã được chuyển đến ", " (từ ",
     ": bị tạm giam lại", "Người trong hồ sơ ", " đã bị tạm giam lại, hồ sơ ", " (ngày ",
     ": đã ấn định ngày thả", "Ngày thả dự kiến của hồ sơ ", " hiện là ", " (trước đây: ",
     ": được thả sau ", " ngày", "Hồ sơ ", " dự kiến được thả vào ngày ", ", còn ", " ngày",
     ")", ".", "\r\n\r\n-- \r\nĐể ngừng nhận các thư này: "},
    {"ko", "수감번호 ", "알림 신청 확인: 수감번호 ",
     "누군가 이 주소로 다음 수감번호에 관한 알림을 요청했습니다: ",
     ".\r\n\r\n확인하려면 이 링크를 열고 버튼을 누르세요:\r\n",
     "\r\n\r\n본인이 요청하지 않았다면 이 메시지를 무시하세요. 더 이상 발송되지 않습니다.",
     ": 석방", "수감번호 ", " 건이 석방되었습니다", " (석방일: ", ")",
     ": 이감", "수감번호 ", " 건이 다음 시설로 이감되었습니다: ", " (이전: ",
     ": 재수감", "수감번호 ", " 건의 당사자가 다시 수감되었습니다. 새 수감번호 ", " (날짜: ",
     ": 석방 예정일 지정", "수감번호 ", " 건의 석방 예정일은 ", " (이전: ",
     ": 석방까지 ", "일", "수감번호 ", " 건은 ", " 석방 예정입니다. 남은 기간: ", "일",
     ")", ".", "\r\n\r\n-- \r\n알림 수신을 중단하려면: "},
};

/* The texts of language lang (a subscription's), English when it is none of them. */
static const struct mail_texts *mail_texts_of(const char *lang)
{
    size_t i;
    for (i = 0; lang != NULL && i < sizeof mail_langs / sizeof mail_langs[0]; i++)
        if (strcmp(mail_langs[i].lang, lang) == 0)
            return &mail_langs[i];
    return &mail_langs[0];
}

/* The subject and the first paragraph of an email, in the subscriber's language (UTF-8). */
static void email_text(struct hc_buf *subj, struct hc_buf *body, const struct store_delivery_job *j,
                       json_t *data, const char *confirm_link)
{
    const struct mail_texts *t = mail_texts_of(j->lang);
    const char *no = j->booking_no, *k = j->kind;
    char num[24];
    hc_buf_puts(subj, t->booking);
    hc_buf_puts_text(subj, no);
    if (strcmp(k, "confirm") == 0) {
        subj->len = 0;
        hc_buf_puts(subj, t->confirm_subj);
        hc_buf_puts_text(subj, no);
        hc_buf_puts(body, t->confirm_ask);
        hc_buf_puts_text(body, no);
        hc_buf_puts(body, t->confirm_how);
        hc_buf_puts(body, confirm_link);
        hc_buf_puts(body, t->confirm_ignore);
    } else if (strcmp(k, "released") == 0) {
        hc_buf_puts(subj, t->released_subj);
        put_change(body, t->released_lead, no, t->released_change, NULL, t->released_on,
                   jget(data, "released_on"), t->released_close, t->stop);
    } else if (strcmp(k, "transferred") == 0) {
        hc_buf_puts(subj, t->moved_subj);
        put_change(body, t->moved_lead, no, t->moved_to, jget(data, "facility"), t->moved_from,
                   jget(data, "previous_facility"), t->close, t->stop);
    } else if (strcmp(k, "rebooked") == 0) {
        hc_buf_puts(subj, t->rebooked_subj);
        put_change(body, t->rebooked_lead, no, t->rebooked_change, jget(data, "booking_no"),
                   t->rebooked_on, jget(data, "booked_on"), t->close, t->stop);
    } else if (strcmp(k, "release_date") == 0) {
        hc_buf_puts(subj, t->date_subj);
        put_change(body, t->date_lead, no, t->date_now, jget(data, "scheduled_release"),
                   t->date_was, jget(data, "previous_scheduled_release"), t->close, t->stop);
    } else {
        json_int_t days = json_integer_value(json_object_get(data, "days_before"));
        snprintf(num, sizeof num, "%lld", (long long)days);
        hc_buf_puts(subj, t->advance_subj);
        hc_buf_puts(subj, num);
        hc_buf_puts(subj, t->advance_subj_days);
        hc_buf_puts(body, t->advance_lead);
        hc_buf_puts_text(body, no);
        hc_buf_puts(body, t->advance_on);
        hc_buf_puts_text(body, jget(data, "scheduled_release"));
        hc_buf_puts(body, t->advance_in);
        hc_buf_puts(body, num);
        hc_buf_puts(body, t->advance_days);
        hc_buf_puts(body, t->stop);
    }
}

/* Append a header's text s[0..n): as is when it is ASCII, else as RFC 2047 encoded words
 * (=?UTF-8?B?...?=), each at most 75 characters and cut between UTF-8 characters, folded onto
 * continuation lines. */
static void put_header_text(struct hc_buf *b, const char *s, size_t n)
{
    size_t i, start = 0;
    for (i = 0; i < n && (unsigned char)s[i] < 0x80; i++)
        ;
    if (i == n) {
        hc_buf_put(b, s, n);
        return;
    }
    while (start < n) {
        char b64[80];
        size_t end = start + 45 < n ? start + 45 : n; /* 45 bytes: 60 base64 characters */
        while (end < n && end > start && ((unsigned char)s[end] & 0xc0) == 0x80)
            end--;
        if (start > 0)
            hc_buf_puts(b, "\r\n ");
        sodium_bin2base64(b64, sizeof b64, (const unsigned char *)s + start, end - start,
                          sodium_base64_VARIANT_ORIGINAL);
        hc_buf_puts(b, "=?UTF-8?B?");
        hc_buf_puts(b, b64);
        hc_buf_puts(b, "?=");
        start = end;
    }
}

/* The headers every mail shares, to target, with subject subj[0..len) in language lang and the
 * message-id lines ids, up to the last header's end (no CRLF after it). */
static void mail_head(struct deliver *dl, struct hc_buf *m, const char *target, const char *subj,
                      size_t len, const char *lang, const char *ids)
{
    char date[HC_CLOCK_MAIL_LEN];
    hc_clock_mail(hc_clock_now(), date);
    hc_buf_puts(m, "From: holdcheck <");
    hc_buf_puts(m, dl->smtp_from);
    hc_buf_puts(m, ">\r\nTo: <");
    hc_buf_puts_text(m, target);
    hc_buf_puts(m, ">\r\nSubject: ");
    put_header_text(m, subj, len);
    hc_buf_puts(m, "\r\nDate: ");
    hc_buf_puts(m, date);
    hc_buf_puts(m, ids);
    hc_buf_puts(m, "\r\nContent-Language: ");
    hc_buf_puts(m, lang);
    /* 8bit: the text is UTF-8 in short lines, which every relay in use takes (libcurl does not
     * announce BODY=8BITMIME; docs/public.md, "Mail"). */
    hc_buf_puts(m, "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8"
                   "\r\nContent-Transfer-Encoding: 8bit\r\nAuto-Submitted: auto-generated");
}

/* The whole message of an email delivery (RFC 5322 headers, MIME UTF-8 text, CRLF lines) into
 * m; m->full when it did not fit. */
static void email_message(struct deliver *dl, const struct store_delivery_job *j, json_t *data,
                          struct hc_buf *m)
{
    char subj_mem[256], body_mem[4096], link[400], unsub[400], id[120];
    const struct mail_texts *t = mail_texts_of(j->lang);
    const char *lang = t->lang;
    struct hc_buf subj, body;

    /* The links carry the language, so the page opens in the one the subscriber chose. */
    snprintf(link, sizeof link, "%s/?confirm=%s&lang=%s", dl->base_url, j->confirm_token, lang);
    snprintf(unsub, sizeof unsub, "%s/?unsubscribe=%s&lang=%s", dl->base_url,
             j->unsubscribe_token, lang);
    hc_buf_init(&subj, subj_mem, sizeof subj_mem - 1);
    hc_buf_init(&body, body_mem, sizeof body_mem - 1);
    email_text(&subj, &body, j, data, link);
    snprintf(id, sizeof id, "\r\nMessage-ID: <evt_%" PRId64 ".s%" PRId64 "@holdcheck>"
             "\r\nX-Holdcheck-Event-Id: evt_%" PRId64, j->event_id, j->subscription_id,
             j->event_id);
    mail_head(dl, m, j->target, subj.data, subj.len, lang, id);
    hc_buf_puts(m, "\r\nList-Unsubscribe: <");
    hc_buf_puts(m, dl->base_url);
    hc_buf_puts(m, "/api/v1/public/subscriptions/unsubscribe/");
    hc_buf_puts(m, j->unsubscribe_token);
    hc_buf_puts(m, ">\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n\r\n");
    hc_buf_put(m, body.data, body.len);
    hc_buf_puts(m, t->footer);
    hc_buf_puts(m, unsub);
    hc_buf_puts(m, "\r\n");
}

/* Write the message m[0..len) of delivery id into the outbox folder as a new .eml file:
 * written under a hidden name, flushed, then renamed, so a reader never sees half a mail.
 * 0, or -1 with err set. */
static int outbox_write(const char *dir, char tag, int64_t id, const char *m, size_t len,
                        char *err, size_t errlen)
{
    char tmp[4200], path[4200], at[HC_CLOCK_UTC_LEN], stamp[HC_CLOCK_UTC_LEN];
    size_t i, k = 0;
    FILE *f;
    int ok;
    utc_now(0, at);
    for (i = 0; at[i] != '\0'; i++) /* 2026-12-07T07:45:00Z -> 20261207T074500Z */
        if (at[i] != '-' && at[i] != ':')
            stamp[k++] = at[i];
    stamp[k] = '\0';
    snprintf(tmp, sizeof tmp, "%s/.%c%" PRId64 ".eml.tmp", dir, tag, id);
    snprintf(path, sizeof path, "%s/%s-%c%" PRId64 ".eml", dir, stamp, tag, id);
    if ((f = fopen(tmp, "wb")) == NULL) {
        snprintf(err, errlen, "cannot write to the mail outbox: %s", strerror(errno));
        return -1;
    }
    ok = fwrite(m, 1, len, f) == len && fflush(f) == 0 && fsync(fileno(f)) == 0;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        snprintf(err, errlen, "cannot write to the mail outbox: %s", strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

/* Hand the message m to target: into the outbox (as tag, id: outbox_write) or to the relay. */
static enum store_delivery_result mail_out(struct deliver *dl, char tag, int64_t id,
                                           const char *target, const struct hc_buf *m, char *err,
                                           size_t errlen)
{
    struct netio_smtp relay;
    enum netio_result r;
    if (dl->mail_outbox != NULL)
        return outbox_write(dl->mail_outbox, tag, id, m->data, m->len, err, errlen) == 0
                   ? STORE_DELIVERY_DELIVERED
                   : STORE_DELIVERY_RETRY;
    relay.relay = dl->smtp_relay;
    relay.tls = (enum netio_smtp_tls)dl->cfg.smtp_tls;
    relay.ca_file = dl->ca_file;
    r = netio_smtp_send(&relay, dl->smtp_from, target, m->data, m->len, SEND_TIMEOUT_MS, err,
                        errlen);
    return r == NETIO_SENT        ? STORE_DELIVERY_DELIVERED
           : r == NETIO_PERMANENT ? STORE_DELIVERY_FAILED
                                  : STORE_DELIVERY_RETRY;
}

static enum store_delivery_result send_email(struct deliver *dl, const struct store_delivery_job *j,
                                             json_t *data, char *err, size_t errlen)
{
    char *msg = malloc(MSG_MAX);
    struct hc_buf m;
    enum store_delivery_result r;

    if (msg == NULL) {
        snprintf(err, errlen, "out of memory");
        return STORE_DELIVERY_RETRY;
    }
    if (dl->smtp_relay == NULL && dl->mail_outbox == NULL) {
        free(msg);
        snprintf(err, errlen, "no smtp_relay and no mail_outbox configured");
        return STORE_DELIVERY_RETRY;
    }
    hc_buf_init(&m, msg, MSG_MAX);
    email_message(dl, j, data, &m);
    if (m.full) {
        free(msg);
        snprintf(err, errlen, "message too long");
        return STORE_DELIVERY_FAILED;
    }
    r = mail_out(dl, 'd', j->id, j->target, &m, err, errlen);
    free(msg);
    return r;
}

static enum store_delivery_result send_webhook(struct deliver *dl,
                                               const struct store_delivery_job *j, json_t *data,
                                               char *err, size_t errlen)
{
    json_t *o = json_object();
    char evid[32], sig[72], hts[48], hsig[96], hev[64], hdel[64], resp[256], url[400];
    char challenge[33] = "", *text;
    const char *hdrs[4];
    long long ts = (long long)hc_clock_now();
    int status = 0, confirm = strcmp(j->kind, "confirm") == 0;
    enum store_delivery_result r;
    enum netio_result nr;

    snprintf(evid, sizeof evid, "evt_%" PRId64, j->event_id);
    json_object_set_new(o, "event_id", json_string(evid));
    json_object_set_new(o, "type", json_string(confirm ? "subscription.confirm" : j->kind));
    json_object_set_new(o, "occurred_at", json_string(j->event_at ? j->event_at : ""));
    json_object_set_new(o, "booking_no", json_string(j->booking_no));
    if (confirm) {
        challenge_of(j->confirm_token, challenge);
        snprintf(url, sizeof url, "%s/api/v1/public/subscriptions/confirm/%s", dl->base_url,
                 j->confirm_token);
        json_object_set_new(data, "challenge", json_string(challenge));
        json_object_set_new(data, "confirm_url", json_string(url));
    }
    json_object_set(o, "data", data);
    snprintf(url, sizeof url, "%s/?unsubscribe=%s", dl->base_url, j->unsubscribe_token);
    json_object_set_new(o, "unsubscribe_url", json_string(url));
    text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (text == NULL) {
        snprintf(err, errlen, "out of memory");
        return STORE_DELIVERY_RETRY;
    }
    if (deliver_sign(j->secret, ts, text, strlen(text), sig) != 0) {
        free(text);
        snprintf(err, errlen, "the subscription has no usable secret");
        return STORE_DELIVERY_FAILED;
    }
    snprintf(hev, sizeof hev, "X-Holdcheck-Event-Id: %s", evid);
    snprintf(hdel, sizeof hdel, "X-Holdcheck-Delivery: %" PRId64, j->id);
    snprintf(hts, sizeof hts, "X-Holdcheck-Timestamp: %lld", ts);
    snprintf(hsig, sizeof hsig, "X-Holdcheck-Signature: %s", sig);
    hdrs[0] = hev;
    hdrs[1] = hdel;
    hdrs[2] = hts;
    hdrs[3] = hsig;
    nr = netio_http_post(j->target, dl->cfg.webhook_allow_private, dl->ca_file, NULL, hdrs, 4, text,
                         strlen(text), SEND_TIMEOUT_MS, &status, resp, sizeof resp, err, errlen);
    free(text);
    if (nr != NETIO_SENT)
        return nr == NETIO_PERMANENT ? STORE_DELIVERY_FAILED : STORE_DELIVERY_RETRY;
    if (status >= 200 && status < 300) {
        if (confirm) {
            /* Echoed: the body is the challenge, or {"challenge":"..."}. */
            char *s = resp, *e;
            while (*s == ' ' || *s == '\r' || *s == '\n' || *s == '\t')
                s++;
            e = s + strlen(s);
            while (e > s && (e[-1] == ' ' || e[-1] == '\r' || e[-1] == '\n' || e[-1] == '\t'))
                *--e = '\0';
            if (strcmp(s, challenge) == 0)
                return STORE_DELIVERY_CONFIRMED;
            {
                json_t *v = json_loads(s, 0, NULL);
                const char *c = json_string_value(json_object_get(v, "challenge"));
                r = c != NULL && strcmp(c, challenge) == 0 ? STORE_DELIVERY_CONFIRMED
                                                           : STORE_DELIVERY_DELIVERED;
                json_decref(v);
                return r;
            }
        }
        return STORE_DELIVERY_DELIVERED;
    }
    snprintf(err, errlen, "the receiver answered %d", status);
    return status == 410 ? STORE_DELIVERY_GONE : STORE_DELIVERY_RETRY;
}

static void retry_at(struct deliver *dl, int attempts, enum store_delivery_result *r,
                     char next[HC_CLOCK_UTC_LEN]);

/* The result of handing an SMS to the gateway, for the queue. */
static enum store_delivery_result sms_result(enum netio_result nr)
{
    return nr == NETIO_SENT        ? STORE_DELIVERY_DELIVERED
           : nr == NETIO_PERMANENT ? STORE_DELIVERY_FAILED
                                   : STORE_DELIVERY_RETRY;
}

/* Send an SMS delivery: the code for a confirmation, else the event in the subscriber's
 * language, with the person's name when the policy publishes names. */
static enum store_delivery_result send_sms(struct deliver *dl, const struct store_delivery_job *j,
                                           json_t *data, unsigned fields, char *err,
                                           size_t errlen)
{
    struct sms_event ev;
    char text[SMS_TEXT_MAX], code[SMS_CODE_LEN + 1] = "";
    struct hc_buf b;
    enum store_delivery_result r;
    json_t *raw = NULL;

    if (dl->sms_url == NULL) {
        snprintf(err, errlen, "no sms_gateway_url configured");
        return STORE_DELIVERY_RETRY;
    }
    memset(&ev, 0, sizeof ev);
    ev.kind = j->kind;
    ev.lang = j->lang;
    ev.booking_no = j->booking_no;
    if (j->person_name != NULL && publish_allows(fields, PUBLISH_SHOW, STORE_PUB_NAME))
        ev.name = j->person_name;
    if (strcmp(j->kind, "confirm") == 0) {
        sms_code(j->confirm_token, code);
        ev.code = code;
    } else if (strcmp(j->kind, "released") == 0) {
        ev.when = jget(data, "released_on");
    } else if (strcmp(j->kind, "transferred") == 0) {
        ev.facility = jget(data, "facility");
        ev.other = jget(data, "previous_facility");
    } else if (strcmp(j->kind, "rebooked") == 0) {
        /* Not one of the subscribable events, so data is empty: the new number and its date
         * come from the event as stored, each only when the policy publishes it now. */
        raw = json_loads(j->event_data != NULL ? j->event_data : "{}", 0, NULL);
        if (publish_allows(fields, PUBLISH_SHOW, STORE_PUB_BOOKING_NO))
            ev.other = jget(raw, "booking_no");
        if (publish_allows(fields, PUBLISH_SHOW, STORE_PUB_BOOKING_DATE))
            ev.when = jget(raw, "booked_on");
    } else {
        ev.when = jget(data, "scheduled_release");
        ev.days = (int)json_integer_value(json_object_get(data, "days_before"));
    }
    hc_buf_init(&b, text, sizeof text - 1);
    sms_message(&ev, &b);
    text[b.len] = '\0';
    json_decref(raw);
    if (b.full || b.len == 0) {
        snprintf(err, errlen, "no message for this event");
        return STORE_DELIVERY_FAILED;
    }
    r = sms_result(sms_send(&dl->cfg.sms, j->target, text, SEND_TIMEOUT_MS, err, errlen));
    sodium_memzero(code, sizeof code);
    return r;
}

/* Send the opt-out reply due soonest, if any, and record how it went: 1 when one was worked. */
static int sms_reply_one(struct deliver *dl)
{
    struct store_sms_reply rp;
    struct sms_event ev;
    enum store_delivery_result r;
    char text[SMS_TEXT_MAX], at[HC_CLOCK_UTC_LEN], err[300] = "", next[HC_CLOCK_UTC_LEN];
    struct hc_buf b;
    int rc;

    if (dl->sms_url == NULL)
        return 0;
    hc_arena_reset(&dl->a);
    utc_now(0, at);
    if ((rc = store_sms_reply_claim(dl->st, at, &dl->a, &rp)) != HC_OK) {
        if (rc != HC_ENOENT)
            log_err("cannot claim an SMS opt-out reply", hc_strerror(rc));
        return 0;
    }
    memset(&ev, 0, sizeof ev);
    ev.kind = "stop";
    ev.lang = rp.lang;
    hc_buf_init(&b, text, sizeof text - 1);
    sms_message(&ev, &b);
    text[b.len] = '\0';
    r = sms_result(sms_send(&dl->cfg.sms, rp.target, text, SEND_TIMEOUT_MS, err, sizeof err));
    retry_at(dl, rp.attempts, &r, next);
    if ((rc = store_sms_reply_finish(dl->st, rp.id, r, next[0] ? next : NULL,
                                     err[0] ? err : NULL)) != HC_OK)
        log_err("cannot record an SMS opt-out reply", hc_strerror(rc));
    if (!dl->cfg.quiet && r != STORE_DELIVERY_DELIVERED)
        hc_log(HC_LOG_WARN, "SMS opt-out reply %" PRId64 " (attempt %d): %s", rp.id, rp.attempts,
               err);
    return 1;
}

/* When a retry after attempt attempts is due, into next (UTC): retry_seconds doubling up to
 * DELIVER_BACKOFF_MAX; *r becomes FAILED after DELIVER_MAX_ATTEMPTS. next is "" unless *r is
 * STORE_DELIVERY_RETRY. */
static void retry_at(struct deliver *dl, int attempts, enum store_delivery_result *r,
                     char next[HC_CLOCK_UTC_LEN])
{
    long delay = dl->cfg.retry_seconds;
    int k;
    next[0] = '\0';
    if (*r != STORE_DELIVERY_RETRY)
        return;
    for (k = 1; k < attempts && delay < DELIVER_BACKOFF_MAX; k++)
        delay *= 2;
    if (delay > DELIVER_BACKOFF_MAX)
        delay = DELIVER_BACKOFF_MAX;
    if (attempts >= DELIVER_MAX_ATTEMPTS)
        *r = STORE_DELIVERY_FAILED;
    else
        utc_now((int)delay, next);
}

/* Send the victim notice due soonest, if any (victims.h), and record how it went: 1 when one
 * was worked, 0 when none is due. Victim notices go before every public delivery. */
static int victim_one(struct deliver *dl)
{
    struct store_victim_job j;
    enum store_delivery_result r;
    char subj_mem[512], body_mem[4096], id[80], err[300] = "", next[HC_CLOCK_UTC_LEN];
    struct hc_buf subj, body, m;
    char *msg;
    int rc;

    hc_arena_reset(&dl->a);
    if ((rc = victims_claim(dl->st, &dl->a, &j)) != HC_OK) {
        if (rc != HC_ENOENT)
            log_err("cannot claim a victim notice", hc_strerror(rc));
        return 0;
    }
    hc_buf_init(&subj, subj_mem, sizeof subj_mem);
    hc_buf_init(&body, body_mem, sizeof body_mem);
    rc = victims_message(&j, &subj, &body);
    if (rc == HC_ENOENT) {
        r = STORE_DELIVERY_CANCELLED;
        snprintf(err, sizeof err, "the registration was removed");
    } else if (rc != HC_OK) {
        r = STORE_DELIVERY_FAILED;
        snprintf(err, sizeof err, "cannot write this notice: %s", hc_strerror(rc));
    } else if (dl->smtp_relay == NULL && dl->mail_outbox == NULL) {
        r = STORE_DELIVERY_RETRY;
        snprintf(err, sizeof err, "no smtp_relay and no mail_outbox configured");
    } else if ((msg = malloc(MSG_MAX)) == NULL) {
        r = STORE_DELIVERY_RETRY;
        snprintf(err, sizeof err, "out of memory");
    } else {
        hc_buf_init(&m, msg, MSG_MAX);
        snprintf(id, sizeof id, "\r\nMessage-ID: <victim_%" PRId64 "@holdcheck>", j.id);
        mail_head(dl, &m, j.target, subj.data, subj.len, j.lang, id);
        hc_buf_puts(&m, "\r\n\r\n");
        hc_buf_put(&m, body.data, body.len);
        r = m.full ? STORE_DELIVERY_FAILED : mail_out(dl, 'v', j.id, j.target, &m, err, sizeof err);
        free(msg);
    }
    retry_at(dl, j.attempts, &r, next);
    if ((rc = victims_finish(dl->st, &j, r, next[0] ? next : NULL, err[0] ? err : NULL)) != HC_OK)
        log_err("cannot record a victim notice", hc_strerror(rc));
    if (!dl->cfg.quiet && r != STORE_DELIVERY_DELIVERED)
        hc_log(HC_LOG_WARN, "victim notice %" PRId64 " (attempt %d): %s", j.id, j.attempts, err);
    return 1;
}

/* Send one claimed delivery and record how it went. */
static void process(struct deliver *dl, const struct store_delivery_job *j)
{
    struct store_public_policy p;
    unsigned bit = kind_bit(j->kind);
    enum store_delivery_result r;
    char err[300] = "", next[21];
    json_t *data;
    int rc;

    if (store_public_policy_get(dl->st, &dl->a, &p) != HC_OK) {
        r = STORE_DELIVERY_RETRY;
        snprintf(err, sizeof err, "cannot read the publication policy");
    } else if (strcmp(j->sub_state, "unsubscribed") == 0) {
        r = STORE_DELIVERY_CANCELLED;
        snprintf(err, sizeof err, "unsubscribed");
    } else if (bit != 0 && strcmp(j->sub_state, "confirmed") != 0) {
        r = STORE_DELIVERY_CANCELLED;
        snprintf(err, sizeof err, "subscription not confirmed");
    } else if (bit != 0 && !publish_allows(p.fields, PUBLISH_EVENT, bit)) {
        r = STORE_DELIVERY_CANCELLED;
        snprintf(err, sizeof err, "the agency no longer publishes what this event tells");
    } else {
        data = bit ? filtered_data(j->kind, j->event_data, p.fields) : json_object();
        if (strcmp(j->channel, "email") == 0)
            r = send_email(dl, j, data, err, sizeof err);
        else if (strcmp(j->channel, "sms") == 0)
            r = send_sms(dl, j, data, p.fields, err, sizeof err);
        else
            r = send_webhook(dl, j, data, err, sizeof err);
        json_decref(data);
    }
    retry_at(dl, j->attempts, &r, next);
    /* The acknowledgement is recorded now: this is the step that makes delivery exactly once
     * except for a crash right here. */
    rc = store_delivery_finish(dl->st, j->id, r, next[0] ? next : NULL, err[0] ? err : NULL);
    if (rc != HC_OK)
        log_err("cannot record a delivery", hc_strerror(rc));
    if (!dl->cfg.quiet && r != STORE_DELIVERY_DELIVERED && r != STORE_DELIVERY_CONFIRMED)
        hc_log(HC_LOG_WARN, "delivery %" PRId64 " (%s, attempt %d): %s", j->id, j->kind,
                j->attempts, err);
}

/* ------------------------------------------------------------------------------------------ */
/* The thread                                                                                 */

static void *run(void *arg)
{
    struct deliver *dl = arg;
    int64_t next_scan = 0, next_purge = 0;
    while (!atomic_load(&dl->stop)) {
        int64_t now = hc_clock_mono_ms();
        int worked = 0;
        if (now >= next_scan) {
            int changed = 0;
            int64_t queued = 0, purged = 0;
            char today[11];
            local_day(0, today);
            if (store_public_status_scan(dl->st, &changed) != HC_OK)
                log_err("status scan failed", NULL);
            if (booking_advance_scan(dl->st, today, &queued) != HC_OK)
                log_err("advance-notice scan failed", NULL);
            /* Hourly: the purge reads every subscription (no index serves its test), and an
             * expired one waits at most an hour more. */
            if (now >= next_purge) {
                if (subscribe_purge(dl->st, hc_clock_now(), &purged) != HC_OK)
                    log_err("purge of expired subscriptions failed", NULL);
                next_purge = now + (int64_t)3600 * 1000;
            }
            next_scan = now + (int64_t)dl->cfg.status_seconds * 1000;
        }
        while (!atomic_load(&dl->stop) && worked < 50) {
            struct store_delivery_job j;
            char at[21];
            int rc;
            if (victim_one(dl)) { /* victims first, before each public delivery */
                worked++;
                continue;
            }
            if (sms_reply_one(dl)) { /* an opt-out's reply before the next alert */
                worked++;
                continue;
            }
            hc_arena_reset(&dl->a);
            utc_now(0, at);
            rc = store_delivery_claim(dl->st, at, &dl->a, &j);
            if (rc == HC_ENOENT)
                break;
            if (rc != HC_OK) {
                log_err("cannot claim a delivery", hc_strerror(rc));
                break;
            }
            process(dl, &j);
            worked++;
        }
        if (worked == 0) {
            struct timespec ts = {0, 200 * 1000000L};
            nanosleep(&ts, NULL);
        }
    }
    return NULL;
}

/* Say at start when anyone may subscribe by email but no mail can leave: no relay and no
 * outbox. Such a server refuses email subscriptions (subscribe.h), so the warning tells the
 * operator why. */
static void warn_no_mail(struct deliver *dl)
{
    struct store_public_policy p;
    if (dl->smtp_relay != NULL || dl->mail_outbox != NULL || dl->cfg.silent)
        return;
    hc_arena_reset(&dl->a);
    if (store_public_policy_get(dl->st, &dl->a, &p) != HC_OK ||
        !publish_allows(p.fields, PUBLISH_FILTER, PUBLISH_BY_BOOKING_NO) ||
        publish_events(p.fields) == 0)
        return;
    hc_log(HC_LOG_WARN, "subscriptions are open but no mail can be sent: set smtp_relay "
           "(--smtp-relay) or mail_outbox (--mail-outbox); until then email subscriptions are "
           "refused");
}

void deliver_stop(struct deliver *dl)
{
    if (dl == NULL)
        return;
    atomic_store(&dl->stop, 1);
    if (dl->started)
        pthread_join(dl->thread, NULL);
    snapshots_stop(dl);
    store_close(dl->st);
    free(dl->mem);
    free(dl->db_path);
    free(dl->base_url);
    free(dl->smtp_relay);
    free(dl->smtp_from);
    free(dl->snapshot_dir);
    free(dl->mail_outbox);
    free(dl->ca_file);
    free(dl->sms_url);
    free(dl->sms_auth);
    free(dl->sms_template);
    free(dl->sms_from);
    free(dl->sms_ca);
    if (dl->curl_started)
        netio_global_cleanup();
    free(dl);
}

int deliver_start(const struct deliver_config *cfg, struct deliver **out, struct hc_diag *d)
{
    struct deliver *dl = calloc(1, sizeof *dl);
    int64_t n = 0;
    int rc = HC_ENOMEM;

    *out = NULL;
    if (dl == NULL)
        return HC_ENOMEM;
    dl->cfg = *cfg;
    dl->db_path = dup_or_null(cfg->db_path);
    dl->base_url = dup_or_null(cfg->base_url ? cfg->base_url : "http://127.0.0.1:8080");
    dl->smtp_relay = dup_or_null(cfg->smtp_relay);
    dl->smtp_from = dup_or_null(cfg->smtp_from ? cfg->smtp_from : "holdcheck@localhost");
    dl->snapshot_dir = dup_or_null(cfg->snapshot_dir);
    dl->mail_outbox = dup_or_null(cfg->mail_outbox);
    dl->ca_file = dup_or_null(cfg->ca_file);
    dl->sms_url = dup_or_null(cfg->sms.url);
    dl->sms_auth = dup_or_null(cfg->sms.auth_header);
    dl->sms_template = dup_or_null(cfg->sms.body_template);
    dl->sms_from = dup_or_null(cfg->sms.from);
    dl->sms_ca = dup_or_null(cfg->sms.ca_file);
    dl->mem = malloc(SCRATCH_BYTES);
    if ((cfg->sms.url && !dl->sms_url) || (cfg->sms.auth_header && !dl->sms_auth) ||
        (cfg->sms.body_template && !dl->sms_template) || (cfg->sms.from && !dl->sms_from) ||
        (cfg->sms.ca_file && !dl->sms_ca))
        goto fail;
    if (dl->db_path == NULL || dl->base_url == NULL || dl->smtp_from == NULL || dl->mem == NULL ||
        (cfg->smtp_relay && !dl->smtp_relay) || (cfg->snapshot_dir && !dl->snapshot_dir) ||
        (cfg->mail_outbox && !dl->mail_outbox) || (cfg->ca_file && !dl->ca_file))
        goto fail;
    /* A trailing slash would double in links. */
    while (strlen(dl->base_url) > 0 && dl->base_url[strlen(dl->base_url) - 1] == '/')
        dl->base_url[strlen(dl->base_url) - 1] = '\0';
    dl->cfg.db_path = dl->db_path;
    dl->cfg.base_url = dl->base_url;
    dl->cfg.smtp_relay = dl->smtp_relay;
    dl->cfg.smtp_from = dl->smtp_from;
    dl->cfg.snapshot_dir = dl->snapshot_dir;
    dl->cfg.mail_outbox = dl->mail_outbox;
    dl->cfg.ca_file = dl->ca_file;
    dl->cfg.sms.url = dl->sms_url;
    dl->cfg.sms.auth_header = dl->sms_auth;
    dl->cfg.sms.body_template = dl->sms_template;
    dl->cfg.sms.from = dl->sms_from;
    dl->cfg.sms.ca_file = dl->sms_ca;
    if (dl->cfg.retry_seconds < 1)
        dl->cfg.retry_seconds = 30;
    if (dl->cfg.status_seconds < 1)
        dl->cfg.status_seconds = 10;
    if (dl->cfg.snapshot_keep_days < 1)
        dl->cfg.snapshot_keep_days = 30;
    if (dl->cfg.refresh_seconds < 1)
        dl->cfg.refresh_seconds = 900;
    hc_arena_init(&dl->a, dl->mem, SCRATCH_BYTES);
    if (dl->snapshot_dir != NULL && mkdir(dl->snapshot_dir, 0755) != 0 && errno != EEXIST) {
        hc_diag_set(d, "snapshot_dir", "cannot create: ", strerror(errno));
        rc = HC_EIO;
        goto fail;
    }
    if (dl->mail_outbox != NULL && mkdir(dl->mail_outbox, 0700) != 0 && errno != EEXIST) {
        hc_diag_set(d, "mail_outbox", "cannot create: ", strerror(errno));
        rc = HC_EIO;
        goto fail;
    }
    if ((rc = netio_global_init(d)) != HC_OK)
        goto fail;
    dl->curl_started = 1;
    if ((rc = service_open(dl->cfg.db_open, dl->db_path, STORE_OPEN_BACKGROUND, &dl->st, d)) !=
        HC_OK)
        goto fail;
    warn_no_mail(dl);
    if ((rc = store_namekey_backfill(dl->st, &n)) != HC_OK) {
        hc_diag_set(d, "db", "cannot fill the people's search keys", NULL);
        goto fail;
    }
    if (n > 0 && !cfg->quiet)
        hc_log(HC_LOG_INFO, "filled the search keys of %" PRId64 " people", n);
    if ((rc = store_delivery_requeue(dl->st, &n)) != HC_OK) {
        hc_diag_set(d, "db", "cannot requeue deliveries", NULL);
        goto fail;
    }
    if (n > 0 && !cfg->quiet)
        hc_log(HC_LOG_INFO, "%" PRId64 " deliveries interrupted by the last stop will be "
                "sent again (receivers dedupe on the event id)", n);
    if ((rc = victims_requeue(dl->st, &n)) != HC_OK) {
        hc_diag_set(d, "db", "cannot requeue victim notices", NULL);
        goto fail;
    }
    if (n > 0 && !cfg->quiet)
        hc_log(HC_LOG_INFO, "%" PRId64 " victim notices interrupted by the last stop will be "
                "sent again", n);
    if (pthread_create(&dl->thread, NULL, run, dl) != 0) {
        hc_diag_set(d, "", "cannot start the delivery thread", NULL);
        rc = HC_EIO;
        goto fail;
    }
    dl->started = 1;
    if (dl->snapshot_dir != NULL && (rc = snapshots_start(dl, d)) != HC_OK)
        goto fail;
    *out = dl;
    return HC_OK;
fail:
    deliver_stop(dl);
    return rc;
}
