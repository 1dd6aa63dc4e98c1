/* SPDX-License-Identifier: MIT
 * victims.c: victim notification apart from the public feed (contracts: victims.h). The law:
 *
 * Penal Code 646.92(a)(1): the "county sheriff, or director of the local department of
 * corrections shall give notice not less than 15 days prior to the release from the state
 * prison or a county jail of any person who is convicted of violating Section 646.9 or
 * convicted of a felony offense involving domestic violence [...] to any person the court
 * identifies as a victim of the offense, a family member of the victim, or a witness to the
 * offense by telephone, electronic mail, or certified mail at his or her last known address,
 * upon request and using the method of communication selected by the requesting party, if that
 * method is available. [...] A victim may designate another person for the purpose of
 * receiving notification."
 *
 * Penal Code 679.03(b)-(c): the request form is "to request and receive notification [...] of
 * the release, escape, scheduled execution, or death of the violent offender", and "All
 * information relating to any person receiving notice pursuant to subdivision (b) shall remain
 * confidential".
 *
 * So: a notice on request, by the channel the registrant chose, in their language, whatever the
 * publication policy (the public feed is not the notice the law owes); release, escape, death
 * and transfer; the registrant's name and contact confidential (no audit payload, no public
 * answer, no export, and only the roles that keep them see them). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ascii.h"
#include "auth.h"
#include "booking.h"
#include "clock.h"
#include "ident.h"
#include "json.h"
#include "service.h"
#include "store.h"
#include "subscribe.h"
#include "victims.h"

#define ACTOR_SYSTEM "system" /* the delivery thread's audit actor (users.c reserves it) */
#define SCRATCH 32768         /* a booking's registrations, when a change is written */

static const char *const channel_names[VICTIMS_NCHANNELS] = {
    [VICTIMS_EMAIL] = "email", [VICTIMS_SMS] = "sms", [VICTIMS_WEBHOOK] = "webhook"};
static const char *const relations[] = {"victim", "designee", "family", "witness"};
static const char *const langs[] = {"en", "es", "zh", "tl", "vi", "ko"};

int victims_may_see_contact(int role)
{
    return (role & (AUTH_CLERK | AUTH_SUPERVISOR | AUTH_ADMIN)) != 0;
}

/* STORE_ENOTSUP as VICTIMS_ENOTSUP (the same value, named for this module's callers). */
static int ours(int rc)
{
    return rc == STORE_ENOTSUP ? VICTIMS_ENOTSUP : rc;
}

static int one_of(const char *v, const char *const *set, size_t n)
{
    size_t i;
    for (i = 0; v != NULL && i < n; i++)
        if (strcmp(v, set[i]) == 0)
            return 1;
    return 0;
}

/* HC_OK when v (required) is 1..max bytes of UTF-8 without a control character. */
static int check_line(const char *v, const char *field, size_t max, struct hc_diag *d)
{
    size_t n, i;
    if (v == NULL)
        return hc_diag_set(d, field, "required", NULL);
    n = strlen(v);
    if (n == 0 || n > max)
        return hc_diag_set(d, field, max == VICTIMS_NAME_MAX ? "expected 1 to 200 bytes"
                                                              : "expected 1 to 254 bytes", NULL);
    if (!hc_utf8_valid(v, n))
        return hc_diag_set(d, field, "not valid UTF-8", NULL);
    for (i = 0; i < n; i++)
        if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
            return hc_diag_set(d, field, "holds a control character", NULL);
    return HC_OK;
}

/* Every field of a registration as it would be written. */
static int check_reg(const struct store_victim *v, struct hc_diag *d)
{
    int rc;
    if (v->booking_no == NULL || !hc_booking_no_valid(v->booking_no, strlen(v->booking_no)))
        return hc_diag_set(d, "booking_no", "expected a booking number", NULL);
    if ((rc = check_line(v->name, "name", VICTIMS_NAME_MAX, d)) != HC_OK)
        return rc;
    if (!one_of(v->relation, relations, sizeof relations / sizeof *relations))
        return hc_diag_set(d, "relation", "expected victim, designee, family or witness", NULL);
    if (!one_of(v->lang, langs, sizeof langs / sizeof *langs))
        return hc_diag_set(d, "lang", "expected en, es, zh, tl, vi or ko", NULL);
    if (!one_of(v->channel, channel_names, VICTIMS_NCHANNELS))
        return hc_diag_set(d, "channel", "expected email, sms or webhook", NULL);
    if (strcmp(v->channel, channel_names[VICTIMS_EMAIL]) != 0) {
        hc_diag_set(d, "channel", "only email notices are sent for now", NULL);
        return HC_ERANGE;
    }
    if ((rc = check_line(v->target, "address", VICTIMS_TARGET_MAX, d)) != HC_OK)
        return rc;
    if (!subscribe_email_valid(v->target))
        return hc_diag_set(d, "address", "expected an email address", NULL);
    return HC_OK;
}

/* The audit payload of registration v: what it is for, never who or where. */
static json_t *reg_payload(const struct store_victim *v)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:b}", "booking_no", v->booking_no, "relation",
                     v->relation, "channel", v->channel, "lang", v->lang, "follows_person",
                     v->follows_person != 0);
}

static int audit(struct hc_store *st, const char *actor, const char *action, int64_t id,
                 json_t *pl)
{
    char entity[40];
    int rc;
    if (pl == NULL)
        return HC_ENOMEM;
    snprintf(entity, sizeof entity, "victim/%lld", (long long)id);
    rc = store_audit_append(st, actor, action, entity, pl);
    json_decref(pl);
    return rc;
}

static int leave(struct hc_store *st, int rc)
{
    if (rc != HC_OK) {
        store_rollback(st);
        return ours(rc);
    }
    return ours(store_commit(st));
}

int victims_register(struct hc_store *st, const struct store_victim *v, const char *actor,
                     int64_t *id, struct hc_diag *d)
{
    struct store_victim w = *v;
    char at[HC_CLOCK_UTC_LEN];
    int rc;

    if ((rc = check_reg(v, d)) != HC_OK)
        return rc;
    w.created_by = actor;
    hc_clock_utc(hc_clock_now(), at);
    if ((rc = store_begin(st)) != HC_OK)
        return ours(rc);
    rc = store_victim_add(st, &w, at, id);
    if (rc == HC_ENOENT)
        hc_diag_set(d, "booking_no", "no such booking", NULL);
    else if (rc == HC_EINVAL)
        hc_diag_set(d, "", "the database refused the registration", NULL);
    if (rc == HC_OK)
        rc = audit(st, actor, "victim.register", *id, reg_payload(&w));
    return leave(st, rc);
}

/* Set *field to v when v is not NULL and differs, naming it in changed. */
static void take(const char **field, const char *v, const char *name, json_t *changed)
{
    if (v != NULL && (*field == NULL || strcmp(*field, v) != 0)) {
        *field = v;
        json_array_append_new(changed, json_string(name));
    }
}

int victims_change(struct hc_store *st, int64_t id, const struct store_victim *ch,
                   int set_follows, const char *actor, struct hc_diag *d)
{
    char mem[8192], at[HC_CLOCK_UTC_LEN];
    struct hc_arena a;
    struct store_victim v;
    json_t *changed = json_array(), *pl;
    int rc;

    hc_arena_init(&a, mem, sizeof mem);
    if ((rc = store_begin(st)) != HC_OK) {
        json_decref(changed);
        return ours(rc);
    }
    if ((rc = store_victim_get(st, id, &a, &v)) != HC_OK) {
        service_missing(rc, d, "id", "no such registration");
        goto out;
    }
    if (strcmp(v.state, "active") != 0) {
        rc = hc_diag_set(d, "id", "the registration was removed", NULL);
        goto out;
    }
    take(&v.name, ch->name, "name", changed);
    take(&v.relation, ch->relation, "relation", changed);
    take(&v.channel, ch->channel, "channel", changed);
    take(&v.target, ch->target, "address", changed);
    take(&v.lang, ch->lang, "lang", changed);
    if (set_follows && (ch->follows_person != 0) != (v.follows_person != 0)) {
        v.follows_person = ch->follows_person != 0;
        json_array_append_new(changed, json_string("follows_person"));
    }
    if ((rc = check_reg(&v, d)) != HC_OK || json_array_size(changed) == 0)
        goto out;
    v.changed_by = actor;
    hc_clock_utc(hc_clock_now(), at);
    if ((rc = store_victim_set(st, &v, at)) != HC_OK)
        goto out;
    pl = reg_payload(&v);
    json_object_set(pl, "changed", changed);
    rc = audit(st, actor, "victim.change", id, pl);
out:
    json_decref(changed);
    return leave(st, rc);
}

int victims_remove(struct hc_store *st, int64_t id, const char *actor, struct hc_diag *d)
{
    char mem[8192], at[HC_CLOCK_UTC_LEN];
    struct hc_arena a;
    struct store_victim v;
    int rc;

    hc_arena_init(&a, mem, sizeof mem);
    if ((rc = store_begin(st)) != HC_OK)
        return ours(rc);
    if ((rc = store_victim_get(st, id, &a, &v)) != HC_OK) {
        service_missing(rc, d, "id", "no such registration");
        return leave(st, rc);
    }
    if (strcmp(v.state, "removed") == 0)
        return leave(st, HC_OK);
    v.state = "removed";
    v.changed_by = actor;
    hc_clock_utc(hc_clock_now(), at);
    if ((rc = store_victim_set(st, &v, at)) == HC_OK)
        rc = audit(st, actor, "victim.remove", id,
                   json_pack("{s:s}", "booking_no", v.booking_no));
    return leave(st, rc);
}

static void redact(struct store_victim *v, int role)
{
    if (!victims_may_see_contact(role)) {
        v->name = NULL;
        v->target = NULL;
    }
}

int victims_list(struct hc_store *st, const char *booking_no, int role, struct hc_arena *a,
                 struct store_victim **out, size_t *n, struct hc_diag *d)
{
    size_t i;
    int rc;
    if (booking_no != NULL && !hc_booking_no_valid(booking_no, strlen(booking_no)))
        return hc_diag_set(d, "booking_no", "expected a booking number", NULL);
    if ((rc = store_victim_list(st, booking_no, a, out, n)) != HC_OK)
        return ours(rc);
    for (i = 0; i < *n; i++)
        redact(&(*out)[i], role);
    return HC_OK;
}

int victims_get(struct hc_store *st, int64_t id, int role, struct hc_arena *a,
                struct store_victim *out, struct store_victim_notice **notices, size_t *nn,
                struct hc_diag *d)
{
    int rc = store_victim_get(st, id, a, out);
    if (rc != HC_OK)
        return ours(service_missing(rc, d, "id", "no such registration"));
    redact(out, role);
    return ours(store_victim_notices(st, id, a, notices, nn));
}

/* ------------------------------------------------------------------------------------------ */
/* Notices raised by custody changes                                                          */

/* Whether word (lower case) is in s, ignoring ASCII case. */
static int has_word(const char *s, const char *word)
{
    size_t n = strlen(word), i;
    for (; *s; s++) {
        for (i = 0; i < n && s[i] != '\0' && hc_to_lower(s[i]) == word[i]; i++)
            ;
        if (i == n)
            return 1;
    }
    return 0;
}

/* What a release is, from its reason as the jail's system wrote it: an escape or a death is
 * told as such (679.03(b) names both), anything else is a release. */
static const char *release_kind(const char *reason)
{
    static const char *const escape[] = {"escape", "escaped", "walkaway", "walk away", "awol"};
    static const char *const death[] = {"death", "died", "deceased"};
    size_t i;
    if (reason == NULL)
        return "released";
    for (i = 0; i < sizeof escape / sizeof *escape; i++)
        if (has_word(reason, escape[i]))
            return "escaped";
    for (i = 0; i < sizeof death / sizeof *death; i++)
        if (has_word(reason, death[i]))
            return "died";
    return "released";
}

/* Queue notice kind (data: consumed) about booking_id for every registration of regs that
 * names this booking, or follows the person (every one when only_followers is 0). */
static int queue_for(struct hc_store *st, int64_t booking_id, const struct store_victim *regs,
                     size_t n, int followers_only, const char *kind, json_t *data,
                     const char *booking_no, const char *actor, const char *at, int64_t *queued)
{
    char *text = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS);
    size_t i;
    int rc = text != NULL ? HC_OK : HC_ENOMEM;

    json_decref(data);
    for (i = 0; rc == HC_OK && i < n; i++) {
        int64_t nid = 0;
        int same = strcmp(regs[i].booking_no, booking_no) == 0;
        if (!regs[i].follows_person && (followers_only || !same))
            continue;
        if ((rc = store_victim_notice_add(st, regs[i].id, booking_id, kind, text, at, &nid)) ==
            HC_OK)
            rc = audit(st, actor, "victim.notice", regs[i].id,
                       json_pack("{s:I, s:s, s:s}", "notice", (json_int_t)nid, "kind", kind,
                                 "booking_no", booking_no));
        if (rc == HC_OK)
            (*queued)++;
    }
    free(text);
    return rc;
}

/* The registrations that may hear of booking_id, in a. */
static int regs_of(struct hc_store *st, int64_t booking_id, struct hc_arena *a,
                   struct store_victim **regs, size_t *n)
{
    int rc = store_victim_of_booking(st, booking_id, a, regs, n);
    if (rc == STORE_ENOTSUP) { /* a backend without the area has no registrations */
        *n = 0;
        return HC_OK;
    }
    return rc;
}

static json_t *obj_str(json_t *o, const char *k, const char *v)
{
    json_object_set_new(o, k, v != NULL ? json_string(v) : json_null());
    return o;
}

int victims_on_change(struct hc_store *st, int64_t booking_id, unsigned kinds,
                      const struct store_booking_state *old, const struct store_booking_state *nw,
                      const char *actor, const char *at, int64_t *queued)
{
    char *mem;
    struct hc_arena a;
    struct store_victim *regs = NULL;
    size_t n = 0;
    int rc;

    if (!(kinds & (BOOKING_RELEASED | BOOKING_TRANSFERRED))) /* owes no notice: no lookup */
        return HC_OK;
    if ((mem = malloc(SCRATCH)) == NULL)
        return HC_ENOMEM;
    hc_arena_init(&a, mem, SCRATCH);
    if ((rc = regs_of(st, booking_id, &a, &regs, &n)) != HC_OK || n == 0)
        goto out;
    if (kinds & BOOKING_RELEASED) {
        json_t *e = obj_str(json_object(), "at", nw->released_at);
        obj_str(e, "facility", old->facility);
        if ((rc = queue_for(st, booking_id, regs, n, 0, release_kind(nw->release_reason), e,
                            old->booking_no, actor, at, queued)) != HC_OK)
            goto out;
    }
    if (kinds & BOOKING_TRANSFERRED) {
        json_t *e = obj_str(json_object(), "at", at);
        obj_str(e, "facility", nw->facility);
        obj_str(e, "previous_facility", old->facility);
        rc = queue_for(st, booking_id, regs, n, 0, "transferred", e, old->booking_no, actor, at,
                       queued);
    }
out:
    free(mem);
    return rc;
}

int victims_on_rebooked(struct hc_store *st, int64_t earlier_id, const char *booking_no,
                        const char *booked_at, const char *actor, int64_t *queued)
{
    char *mem = malloc(SCRATCH), at[HC_CLOCK_UTC_LEN];
    struct hc_arena a;
    struct store_victim *regs = NULL;
    size_t n = 0;
    int rc;

    if (mem == NULL)
        return HC_ENOMEM;
    hc_arena_init(&a, mem, SCRATCH);
    hc_clock_utc(hc_clock_now(), at);
    if ((rc = regs_of(st, earlier_id, &a, &regs, &n)) == HC_OK && n > 0) {
        json_t *e = obj_str(json_object(), "at", booked_at);
        obj_str(e, "booking_no", booking_no);
        /* The notice is on the earlier booking: its number is the one the registrant knows. */
        rc = queue_for(st, earlier_id, regs, n, 1, "rebooked", e, regs[0].booking_no, actor, at,
                       queued);
    }
    free(mem);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* The notices' texts                                                                         */

enum { K_RELEASED, K_ESCAPED, K_DIED, K_TRANSFERRED, K_REBOOKED, K_N };
static const char *const kinds[K_N] = {"released", "escaped", "died", "transferred", "rebooked"};

/* One language: a subject and a sentence per kind, and the closing paragraph. In the
 * sentences %N is the person's name, %B the booking number, %D the date and time, %F the
 * facility, %P the previous facility, %R the new booking number. */
struct notice_text {
    const char *lang;
    const char *subject[K_N];
    const char *sentence[K_N];
    const char *closing;
};

/* The escape sentences too long for one line of the table. */
static const char TL_ESCAPED[] =
    "Si %N (booking %B) ay tumakas mula sa kustodiya noong %D. Kung ikaw ay nasa panganib, "
    "tumawag sa 911.";
static const char VI_ESCAPED[] =
    "%N (số hồ sơ giam giữ %B) đã trốn khỏi nơi giam giữ vào ngày %D. Nếu quý vị gặp nguy "
    "hiểm, hãy gọi 911.";
static const char KO_ESCAPED[] =
    "%N(수감 번호 %B)이(가) %D에 구금 시설에서 탈주했습니다. 위험에 처해 있다면 911에 "
    "전화하십시오.";

static const struct notice_text texts[] = {
    {"en",
     {"Custody notice: release", "URGENT custody notice: escape",
      "Custody notice: death in custody", "Custody notice: transfer",
      "Custody notice: booked again"},
     {"%N (booking %B) was released from custody on %D.",
      "%N (booking %B) escaped from custody on %D. If you are in danger, call 911.",
      "%N (booking %B) died in custody on %D.",
      "%N (booking %B) was transferred from %P to %F on %D.",
      "%N was booked into custody again on %D (booking %R)."},
     "You receive this notice because you asked to be told of changes in this person's "
     "custody (California Penal Code 646.92). This message is confidential. To change or stop "
     "these notices, contact the agency's victim services."},
    {"es",
     {"Aviso de custodia: puesta en libertad", "URGENTE, aviso de custodia: fuga",
      "Aviso de custodia: fallecimiento bajo custodia", "Aviso de custodia: traslado",
      "Aviso de custodia: nuevo ingreso"},
     {"%N (ingreso %B) fue puesto en libertad el %D.",
      "%N (ingreso %B) se fugó de la custodia el %D. Si está en peligro, llame al 911.",
      "%N (ingreso %B) falleció bajo custodia el %D.",
      "%N (ingreso %B) fue trasladado de %P a %F el %D.",
      "%N fue ingresado de nuevo bajo custodia el %D (ingreso %R)."},
     "Recibe este aviso porque pidió que se le informara de los cambios en la custodia de esta "
     "persona (Código Penal de California, sección 646.92). Este mensaje es confidencial. Para "
     "cambiar o dejar de recibir estos avisos, comuníquese con el servicio de atención a "
     "víctimas de la agencia."},
    {"zh",
     {"羈押通知：獲釋", "緊急羈押通知：脫逃", "羈押通知：羈押期間死亡", "羈押通知：移送",
      "羈押通知：再次羈押"},
     {"%N（羈押編號 %B）已於 %D 獲釋。",
      "%N（羈押編號 %B）已於 %D 脫逃。如您身處危險，請撥打 911。",
      "%N（羈押編號 %B）已於 %D 在羈押期間死亡。",
      "%N（羈押編號 %B）已於 %D 從 %P 移送至 %F。",
      "%N 已於 %D 再次被羈押（羈押編號 %R）。"},
     "您收到此通知，是因為您要求在此人的羈押狀況有變時獲得通知（加州刑法第 646.92 條）。"
     "此訊息為機密。如需更改或停止這些通知，請聯絡本機構的受害人服務部門。"},
    {"tl",
     {"Abiso sa kustodiya: paglaya", "AGARANG abiso sa kustodiya: pagtakas",
      "Abiso sa kustodiya: pagkamatay sa kustodiya", "Abiso sa kustodiya: paglipat",
      "Abiso sa kustodiya: muling pagkakakulong"},
     {"Si %N (booking %B) ay pinalaya mula sa kustodiya noong %D.",
      TL_ESCAPED,
      "Si %N (booking %B) ay namatay habang nasa kustodiya noong %D.",
      "Si %N (booking %B) ay inilipat mula sa %P patungo sa %F noong %D.",
      "Si %N ay muling ikinulong noong %D (booking %R)."},
     "Natatanggap mo ang abisong ito dahil hiniling mong masabihan tungkol sa mga pagbabago sa "
     "kustodiya ng taong ito (California Penal Code 646.92). Kumpidensyal ang mensaheng ito. "
     "Upang baguhin o ihinto ang mga abisong ito, makipag-ugnayan sa victim services ng "
     "ahensya."},
    {"vi",
     {"Thông báo giam giữ: được thả", "KHẨN CẤP, thông báo giam giữ: bỏ trốn",
      "Thông báo giam giữ: tử vong khi bị giam giữ", "Thông báo giam giữ: chuyển nơi giam giữ",
      "Thông báo giam giữ: bị giam giữ trở lại"},
     {"%N (số hồ sơ giam giữ %B) đã được thả vào ngày %D.",
      VI_ESCAPED,
      "%N (số hồ sơ giam giữ %B) đã qua đời khi bị giam giữ vào ngày %D.",
      "%N (số hồ sơ giam giữ %B) đã được chuyển từ %P đến %F vào ngày %D.",
      "%N đã bị giam giữ trở lại vào ngày %D (số hồ sơ giam giữ %R)."},
     "Quý vị nhận được thông báo này vì quý vị đã yêu cầu được báo khi việc giam giữ người này "
     "có thay đổi (Bộ luật Hình sự California, điều 646.92). Tin nhắn này được bảo mật. Để thay "
     "đổi hoặc ngừng nhận các thông báo này, xin liên hệ bộ phận hỗ trợ nạn nhân của cơ quan."},
    {"ko",
     {"구금 통지: 석방", "긴급 구금 통지: 탈주", "구금 통지: 구금 중 사망", "구금 통지: 이송",
      "구금 통지: 재수감"},
     {"%N(수감 번호 %B)이(가) %D에 석방되었습니다.",
      KO_ESCAPED,
      "%N(수감 번호 %B)이(가) %D에 구금 중 사망했습니다.",
      "%N(수감 번호 %B)이(가) %D에 %P에서 %F(으)로 이송되었습니다.",
      "%N이(가) %D에 다시 수감되었습니다(수감 번호 %R)."},
     "이 사람의 구금 상태 변경을 통지받기를 요청하셨기 때문에 이 통지를 받으셨습니다"
     "(캘리포니아 형법 제646.92조). 이 메시지는 기밀입니다. 통지를 변경하거나 중단하려면 "
     "기관의 피해자 지원 부서에 연락하십시오."},
};

/* "2026-12-09T08:00:00-08:00" as "2026-12-09 08:00 (UTC-08:00)"; a date alone as it is. */
static void put_when(struct hc_buf *b, const char *t)
{
    size_t n = t != NULL ? strlen(t) : 0;
    if (n < 16 || t[10] != 'T') {
        hc_buf_puts_text(b, n > 0 ? t : "-");
        return;
    }
    hc_buf_put(b, t, 10);
    hc_buf_putc(b, ' ');
    hc_buf_put(b, t + 11, 5);
    if (t[n - 1] == 'Z') {
        hc_buf_puts(b, " (UTC)");
    } else if (n >= 6 && (t[n - 6] == '+' || t[n - 6] == '-') && t[n - 3] == ':') {
        hc_buf_puts(b, " (UTC");
        hc_buf_put(b, t + n - 6, 6);
        hc_buf_putc(b, ')');
    }
}

/* Expand sentence s for job j and its data. */
static void expand(struct hc_buf *b, const char *s, const struct store_victim_job *j, json_t *data)
{
    for (; *s; s++) {
        if (s[0] != '%' || s[1] == '\0') {
            hc_buf_putc(b, *s);
            continue;
        }
        switch (*++s) {
        case 'N': hc_buf_puts_text(b, j->person_name); break;
        case 'B': hc_buf_puts_text(b, j->booking_no); break;
        case 'D': put_when(b, json_string_value(json_object_get(data, "at"))); break;
        case 'F': hc_buf_puts_text(b, json_string_value(json_object_get(data, "facility"))); break;
        case 'P':
            hc_buf_puts_text(b, json_string_value(json_object_get(data, "previous_facility")));
            break;
        case 'R': hc_buf_puts_text(b, json_string_value(json_object_get(data, "booking_no"))); break;
        default: hc_buf_putc(b, '%'); hc_buf_putc(b, *s); break;
        }
    }
}

int victims_message(const struct store_victim_job *j, struct hc_buf *subj, struct hc_buf *body)
{
    const struct notice_text *t = &texts[0];
    json_t *data;
    size_t i, k;

    if (strcmp(j->reg_state, "active") != 0)
        return HC_ENOENT;
    if (strcmp(j->channel, channel_names[VICTIMS_EMAIL]) != 0)
        return HC_ERANGE;
    for (i = 0; i < sizeof texts / sizeof *texts; i++)
        if (strcmp(texts[i].lang, j->lang) == 0)
            t = &texts[i];
    for (k = 0; k < K_N && strcmp(kinds[k], j->kind) != 0; k++)
        ;
    if (k == K_N)
        return HC_EINVAL;
    data = json_loads(j->data != NULL ? j->data : "{}", 0, NULL);
    hc_buf_puts(subj, t->subject[k]);
    hc_buf_puts(subj, " (");
    hc_buf_puts_text(subj, j->booking_no);
    hc_buf_putc(subj, ')');
    expand(body, t->sentence[k], j, data);
    hc_buf_puts(body, "\r\n\r\n");
    hc_buf_puts(body, t->closing);
    hc_buf_puts(body, "\r\n");
    json_decref(data);
    return subj->full || body->full ? HC_ENOSPC : HC_OK;
}

/* ------------------------------------------------------------------------------------------ */
/* The delivery thread's side                                                                 */

int victims_requeue(struct hc_store *st, int64_t *n)
{
    int rc = store_victim_notice_requeue(st, n);
    if (rc == STORE_ENOTSUP) {
        *n = 0;
        return HC_OK;
    }
    return rc;
}

int victims_claim(struct hc_store *st, struct hc_arena *a, struct store_victim_job *j)
{
    char now[HC_CLOCK_UTC_LEN];
    int rc;
    hc_clock_utc(hc_clock_now(), now);
    rc = store_victim_notice_claim(st, now, a, j);
    return rc == STORE_ENOTSUP ? HC_ENOENT : rc;
}

int victims_finish(struct hc_store *st, const struct store_victim_job *j,
                   enum store_delivery_result r, const char *next_attempt_at, const char *error)
{
    const char *status;
    char at[HC_CLOCK_UTC_LEN], action[40];
    int rc;

    switch (r) {
    case STORE_DELIVERY_RETRY: status = "pending"; break;
    case STORE_DELIVERY_DELIVERED:
    case STORE_DELIVERY_CONFIRMED: status = "delivered"; break;
    case STORE_DELIVERY_CANCELLED: status = "cancelled"; break;
    default: status = "failed"; break;
    }
    hc_clock_utc(hc_clock_now(), at);
    if ((rc = store_begin(st)) != HC_OK)
        return rc;
    rc = store_victim_notice_finish(st, j->id, status, next_attempt_at, error, at);
    if (rc == HC_OK && r != STORE_DELIVERY_RETRY) {
        snprintf(action, sizeof action, "victim.notice.%s", status);
        rc = audit(st, ACTOR_SYSTEM, action, j->registration_id,
                   json_pack("{s:I, s:s, s:s, s:i}", "notice", (json_int_t)j->id, "kind",
                             j->kind, "booking_no", j->booking_no, "attempts", j->attempts));
    }
    if (rc != HC_OK) {
        store_rollback(st);
        return rc;
    }
    return store_commit(st);
}
