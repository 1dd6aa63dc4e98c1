/* SPDX-License-Identifier: MIT
 * sms.c: telephone numbers, codes, opt-out words, messages and the SMS gateway (sms.h). */
#include "sms.h"

#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"

int sms_number_normalize(const char *s, char out[SMS_E164_MAX])
{
    char d[SMS_E164_MAX];
    size_t n = 0;
    int plus = 0, prev_digit = 0;
    const char *p = s;

    while (*p == ' ')
        p++;
    if (*p == '+') {
        plus = 1;
        p++;
    }
    for (; *p != '\0'; p++) {
        if (*p >= '0' && *p <= '9') {
            if (n + 1 >= sizeof d)
                return HC_EINVAL;
            d[n++] = *p;
            prev_digit = 1;
        } else if (*p == ' ' || *p == '.' || *p == '-' || *p == '(' || *p == ')') {
            prev_digit = 0;
        } else {
            return HC_EINVAL; /* letters, '+' inside, an extension mark */
        }
    }
    (void)prev_digit;
    d[n] = '\0';
    if (plus) {
        if (n < 8 || n > 15 || d[0] == '0' || (d[0] == '1' && n != 11))
            return HC_EINVAL;
        out[0] = '+';
        memcpy(out + 1, d, n + 1);
        return HC_OK;
    }
    if (n == 11 && d[0] == '1') {
        out[0] = '+';
        memcpy(out + 1, d, n + 1);
        return HC_OK;
    }
    if (n != 10 || d[0] == '0' || d[0] == '1') /* a US area code begins with 2..9 */
        return HC_EINVAL;
    out[0] = '+';
    out[1] = '1';
    memcpy(out + 2, d, n + 1);
    return HC_OK;
}

void sms_code(const char *confirm_token, char out[SMS_CODE_LEN + 1])
{
    static const unsigned char key[] = "holdcheck sms confirmation code";
    unsigned char h[8];
    uint64_t v = 0;
    size_t i;
    crypto_generichash(h, sizeof h, (const unsigned char *)confirm_token, strlen(confirm_token),
                       key, sizeof key - 1);
    for (i = 0; i < sizeof h; i++)
        v = (v << 8) | h[i];
    /* 2^64 is so much larger than 10^6 that the remainder's bias is below 10^-13. */
    snprintf(out, SMS_CODE_LEN + 1, "%06u", (unsigned)(v % 1000000u));
}

const char *sms_stop_word(const char *text)
{
    static const char *const words[] = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END",
                                        "QUIT", "ARRET", "ALTO", "PARA"};
    char w[16];
    size_t n = 0, i;
    const unsigned char *p;

    for (p = (const unsigned char *)text; *p != '\0'; p++) {
        unsigned char c = *p;
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        if (c == 0xc3 && (p[1] == 0x8a || p[1] == 0xaa)) { /* Ê, ê: ARRÊT */
            c = 'E';
            p++;
        } else if (c >= 'a' && c <= 'z') {
            c = (unsigned char)(c - 'a' + 'A');
        } else if (c < 'A' || c > 'Z') {
            return NULL;
        }
        if (n + 1 >= sizeof w)
            return NULL;
        w[n++] = (char)c;
    }
    w[n] = '\0';
    for (i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(w, words[i]) == 0)
            return words[i];
    return NULL;
}

const char *sms_stop_lang(const char *word)
{
    return word != NULL && (strcmp(word, "ALTO") == 0 || strcmp(word, "PARA") == 0) ? "es" : "en";
}

/* ------------------------------------------------------------------------------------------ */
/* Segments                                                                                   */

/* The code point at *p (UTF-8), advancing *p; U+FFFD for a bad byte. */
static uint32_t next_cp(const unsigned char **p)
{
    const unsigned char *s = *p;
    uint32_t c = s[0];
    int k = c < 0x80 ? 0 : c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : -1;
    int i;
    if (k < 0) {
        *p = s + 1;
        return 0xfffd;
    }
    c = k == 0 ? c : c & (0x3fu >> k);
    for (i = 1; i <= k; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            *p = s + i;
            return 0xfffd;
        }
        c = (c << 6) | (s[i] & 0x3fu);
    }
    *p = s + k + 1;
    return c;
}

/* Septets code point c costs in GSM 03.38 (basic table 1, extension table 2), or 0 when it is
 * not in the alphabet. */
static int gsm_septets(uint32_t c)
{
    /* The basic table's characters beyond ASCII, and the ASCII it leaves out ('`'). */
    static const uint32_t basic[] = {0xa3, 0xa5, 0xe8, 0xe9, 0xf9, 0xec, 0xf2, 0xc7, 0xd8, 0xf8,
                                     0xc5, 0xe5, 0x394, 0x3a6, 0x393, 0x39b, 0x3a9, 0x3a0, 0x3a8,
                                     0x3a3, 0x398, 0x39e, 0xc6, 0xe6, 0xdf, 0xc9, 0xa4, 0xa1,
                                     0xc4, 0xd6, 0xd1, 0xdc, 0xa7, 0xbf, 0xe4, 0xf6, 0xf1, 0xfc,
                                     0xe0};
    size_t i;
    if (c == '^' || c == '{' || c == '}' || c == '\\' || c == '[' || c == ']' || c == '~' ||
        c == '|' || c == 0x20ac || c == '\f')
        return 2;
    if ((c >= 0x20 && c < 0x7f && c != '`') || c == '\n' || c == '\r')
        return 1;
    for (i = 0; i < sizeof basic / sizeof basic[0]; i++)
        if (basic[i] == c)
            return 1;
    return 0;
}

int sms_segments(const char *text, int *units, int *ucs2)
{
    const unsigned char *p = (const unsigned char *)text;
    int septets = 0, u16 = 0, gsm = 1, n;
    while (*p != '\0') {
        uint32_t c = next_cp(&p);
        int k = gsm_septets(c);
        if (k == 0)
            gsm = 0;
        septets += k;
        u16 += c > 0xffff ? 2 : 1;
    }
    *ucs2 = !gsm;
    n = gsm ? septets : u16;
    if (units != NULL)
        *units = n;
    if (n == 0)
        return 0;
    if (gsm)
        return n <= 160 ? 1 : (n + 152) / 153;
    return n <= 70 ? 1 : (n + 66) / 67;
}

/* ------------------------------------------------------------------------------------------ */
/* Messages                                                                                   */

/* The texts, one per kind and language. {b} booking number, {n} " (NAME)" when a name is
 * published, {w} the date or time, {f} facility, {o} the other value, {d} days, {c} code; text
 * in [ ] is left out when a value inside it is not known. English is the original; the others
 * are this program's own translations and NEED CERTIFIED REVIEW by a translator before an
 * agency relies on them (docs/public.md, "SMS"). Most are worded to stay in the GSM-7 alphabet
 * (Spanish avoids á, í, ó, ú where a plain word says the same) or within 70 UTF-16 units. */
enum { K_CONFIRM, K_RELEASED, K_TRANSFERRED, K_RELEASE_DATE, K_ADVANCE, K_REBOOKED, K_STOP, K_N };
static const char *const kinds[K_N] = {"confirm", "released", "transferred", "release_date",
                                       "advance_notice", "rebooked", "stop"};
static const char *const langs[] = {"en", "es", "zh", "tl", "vi", "ko"};
#define NLANGS (sizeof langs / sizeof langs[0])

/* One language's texts, by kind. */
struct lang_texts {
    const char *confirm, *released, *transferred, *release_date, *advance, *rebooked, *stop;
};

static const struct lang_texts texts[NLANGS] = {
    { /* en */
        .confirm = "Code {c} confirms alerts for booking {b}. If you did not ask for them, "
            "ignore this.",
        .released = "Booking {b}{n} was released[ {w}]. Reply STOP to end alerts.",
        .transferred = "Booking {b}{n} was moved to {f}[ from {o}]. Reply STOP to end alerts.",
        .release_date = "Booking {b}{n}: release scheduled for {w}. Reply STOP to end alerts.",
        .advance = "Booking {b}{n}: release expected {w}, in {d} days. Reply STOP to end alerts.",
        .rebooked = "The person of booking {b}{n} was booked again[: {o}][, {w}]. Reply STOP to "
            "end alerts.",
        .stop = "You will get no more alerts on this number.",
    },
    { /* es: NEEDS CERTIFIED REVIEW */
        .confirm = "Clave {c} para recibir avisos del ingreso {b}. Si no fue usted, no haga nada.",
        .released = "Ingreso {b}{n}: puesto en libertad[ el {w}]. Para cancelar los avisos, "
            "responda ALTO.",
        .transferred = "Ingreso {b}{n}: trasladado a {f}[ desde {o}]. Para cancelar los avisos, "
            "responda ALTO.",
        .release_date = "Ingreso {b}{n}: libertad prevista el {w}. Para cancelar los avisos, "
            "responda ALTO.",
        .advance = "Ingreso {b}{n}: libertad prevista el {w}. Para cancelar los avisos, "
            "responda ALTO.",
        .rebooked = "La persona del ingreso {b}{n} tiene un nuevo ingreso[: {o}][, el {w}]. Para "
            "cancelar, "
            "responda ALTO.",
        .stop = "Sus avisos por SMS quedan cancelados.",
    },
    { /* zh (Traditional, as the page's zh-Hant, with its term for a booking number): NEEDS
       * CERTIFIED REVIEW */
        .confirm = "驗證碼{c}，用於接收收押登記編號{b}的通知。如非本人申請，請忽略。",
        .released = "收押登記編號{b}{n}已[於{w}]獲釋。回覆STOP退訂。",
        .transferred = "收押登記編號{b}{n}已轉至{f}[（原{o}）]。回覆STOP退訂。",
        .release_date = "收押登記編號{b}{n}預計於{w}獲釋。回覆STOP退訂。",
        .advance = "收押登記編號{b}{n}預計於{w}獲釋（{d}天後）。回覆STOP退訂。",
        .rebooked = "收押登記編號{b}{n}的當事人再次被收押[：{o}]。回覆STOP退訂。",
        .stop = "您已退訂，此號碼不會再收到通知。",
    },
    { /* tl: NEEDS CERTIFIED REVIEW */
        .confirm = "Ang code {c} ay para sa mga alerto ng booking {b}. Kung hindi ikaw ang "
            "humiling, "
            "huwag pansinin.",
        .released = "Booking {b}{n}: pinalaya[ noong {w}]. Sumagot ng STOP para itigil ang mga "
            "alerto.",
        .transferred = "Booking {b}{n}: inilipat sa {f}[ mula sa {o}]. Sumagot ng STOP para "
            "itigil ang mga "
            "alerto.",
        .release_date = "Booking {b}{n}: nakatakdang paglaya sa {w}. Sumagot ng STOP para "
            "itigil ang mga alerto.",
        .advance = "Booking {b}{n}: inaasahang paglaya sa {w}, sa loob ng {d} araw. Sumagot ng "
            "STOP para "
            "itigil.",
        .rebooked = "Ang tao sa booking {b}{n} ay muling na-book[: {o}][, {w}]. Sumagot ng STOP "
            "para itigil.",
        .stop = "Wala ka nang matatanggap na alerto sa numerong ito.",
    },
    { /* vi: NEEDS CERTIFIED REVIEW. Vietnamese needs UCS-2 (70 units): the opt-out hint is
       * in the code message only, and the events are told in as few words as can be. */
        .confirm = "Mã {c} xác nhận thông báo hồ sơ {b}. Nhắn STOP để hủy.",
        .released = "Hồ sơ {b}{n} đã được thả[ {w}].",
        .transferred = "Hồ sơ {b}{n} chuyển đến {f}[ từ {o}].",
        .release_date = "Hồ sơ {b}{n}: dự kiến thả {w}.",
        .advance = "Hồ sơ {b}{n}: dự kiến thả {w}, còn {d} ngày.",
        .rebooked = "Hồ sơ {b}{n}: người này có hồ sơ mới[ {o}].",
        .stop = "Số này sẽ không nhận thông báo nữa.",
    },
    { /* ko: NEEDS CERTIFIED REVIEW */
        .confirm = "인증번호 {c}: 수감번호 {b} 알림 신청용입니다. 본인이 아니면 무시하세요.",
        .released = "수감번호 {b}{n}: [{w} ]석방되었습니다. 수신거부 STOP",
        .transferred = "수감번호 {b}{n}: [{o}에서 ]{f}(으)로 이감.",
        .release_date = "수감번호 {b}{n}: {w} 석방 예정. 수신거부 STOP",
        .advance = "수감번호 {b}{n}: {w} 석방 예정({d}일 후). 수신거부 STOP",
        .rebooked = "수감번호 {b}{n} 당사자 재수감[: {o}]. 수신거부 STOP",
        .stop = "이 번호로 더 이상 알림이 발송되지 않습니다.",
    },
};

/* The text of kind k (K_*) in lt. */
static const char *text_of(const struct lang_texts *lt, int k)
{
    switch (k) {
    case K_CONFIRM: return lt->confirm;
    case K_RELEASED: return lt->released;
    case K_TRANSFERRED: return lt->transferred;
    case K_RELEASE_DATE: return lt->release_date;
    case K_ADVANCE: return lt->advance;
    case K_REBOOKED: return lt->rebooked;
    default: return lt->stop;
    }
}

/* The value of placeholder c in ev, or NULL when not known. */
static const char *value_of(const struct sms_event *ev, char c, const char *when,
                            const char *days, const char *name)
{
    switch (c) {
    case 'b': return ev->booking_no;
    case 'n': return name;
    case 'w': return ev->when != NULL ? when : NULL;
    case 'f': return ev->facility;
    case 'o': return ev->other;
    case 'd': return days;
    case 'c': return ev->code;
    default: return NULL;
    }
}

/* Append t[0..end) to b with its placeholders, leaving out a [ ] group whose values are not
 * all known. */
static void render(const char *t, const struct sms_event *ev, const char *when, const char *days,
                   const char *name, struct hc_buf *b)
{
    const char *p = t;
    while (*p != '\0') {
        if (*p == '[') {
            const char *e = strchr(p, ']'), *q;
            int known = 1;
            if (e == NULL)
                return;
            for (q = p; q < e; q++)
                if (q[0] == '{' && q[1] != '\0' && q[2] == '}' &&
                    value_of(ev, q[1], when, days, name) == NULL)
                    known = 0;
            if (!known) {
                p = e + 1;
                continue;
            }
            p++;
            continue;
        }
        if (*p == ']') {
            p++;
            continue;
        }
        if (p[0] == '{' && p[1] != '\0' && p[2] == '}') {
            const char *v = value_of(ev, p[1], when, days, name);
            if (v != NULL)
                hc_buf_puts(b, v);
            p += 3;
            continue;
        }
        hc_buf_putc(b, *p++);
    }
}

void sms_local_when(const char *v, char out[24])
{
    size_t n = strlen(v);
    int64_t t;
    if (n >= 20 && v[n - 1] == 'Z' && hc_clock_parse(v, &t) == 0) {
        char local[HC_CLOCK_LOCAL_LEN];
        hc_clock_local(t, local);
        v = local;
        snprintf(out, 24, "%.10s %.5s", v, v + 11);
        return;
    }
    if (n >= 16 && v[10] == 'T')
        snprintf(out, 24, "%.10s %.5s", v, v + 11);
    else
        snprintf(out, 24, "%.23s", v);
}

void sms_message(const struct sms_event *ev, struct hc_buf *b)
{
    char when[24] = "", days[16], name[160] = "";
    size_t l = 0, k;
    for (k = 0; k < NLANGS; k++)
        if (ev->lang != NULL && strcmp(ev->lang, langs[k]) == 0)
            l = k;
    for (k = 0; k < K_N && strcmp(kinds[k], ev->kind) != 0; k++)
        ;
    if (k == K_N)
        return;
    if (ev->when != NULL)
        sms_local_when(ev->when, when);
    snprintf(days, sizeof days, "%d", ev->days);
    if (ev->name != NULL && ev->name[0] != '\0')
        snprintf(name, sizeof name, " (%.150s)", ev->name);
    render(text_of(&texts[l], (int)k), ev, when, days, name[0] ? name : NULL, b);
}

/* ------------------------------------------------------------------------------------------ */
/* The gateway                                                                                */

/* Append s as JSON string content (no quotes). */
static void put_json_content(struct hc_buf *b, const char *s)
{
    const unsigned char *p;
    for (p = (const unsigned char *)s; *p != '\0'; p++) {
        if (*p == '"' || *p == '\\') {
            hc_buf_putc(b, '\\');
            hc_buf_putc(b, (char)*p);
        } else if (*p < 0x20) {
            char e[8];
            snprintf(e, sizeof e, "\\u%04x", *p);
            hc_buf_puts(b, e);
        } else {
            hc_buf_putc(b, (char)*p);
        }
    }
}

/* Append s percent-encoded for a form: unreserved characters as they are, the rest %XX. */
static void put_form(struct hc_buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p;
    for (p = (const unsigned char *)s; *p != '\0'; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '.' || *p == '_' || *p == '~') {
            hc_buf_putc(b, (char)*p);
        } else {
            hc_buf_putc(b, '%');
            hc_buf_putc(b, hex[*p >> 4]);
            hc_buf_putc(b, hex[*p & 15]);
        }
    }
}

void sms_body(const char *tmpl, const char *to, const char *from, const char *text,
              struct hc_buf *b, int *json)
{
    const char *p;
    if (tmpl == NULL)
        tmpl = SMS_BODY_TEMPLATE_DEFAULT;
    *json = tmpl[0] == '{';
    for (p = tmpl; *p != '\0';) {
        const char *v = strncmp(p, "{to}", 4) == 0     ? to
                        : strncmp(p, "{from}", 6) == 0 ? from
                        : strncmp(p, "{text}", 6) == 0 ? text
                                                       : NULL;
        if (v == NULL) {
            hc_buf_putc(b, *p++);
            continue;
        }
        p += v == to ? 4 : 6;
        if (*json)
            put_json_content(b, v);
        else
            put_form(b, v);
    }
}

enum netio_result sms_send(const struct sms_gateway *g, const char *to, const char *text,
                           int timeout_ms, char *err, size_t errlen)
{
    char mem[4096], resp[256];
    const char *hdrs[1];
    struct hc_buf b;
    enum netio_result r;
    int json, status = 0;

    hc_buf_init(&b, mem, sizeof mem);
    sms_body(g->body_template, to, g->from != NULL ? g->from : "", text, &b, &json);
    if (b.full) {
        snprintf(err, errlen, "the message does not fit the body template");
        return NETIO_PERMANENT;
    }
    hdrs[0] = g->auth_header;
    r = netio_http_post(g->url, 1, g->ca_file,
                        json ? "application/json" : "application/x-www-form-urlencoded", hdrs,
                        g->auth_header != NULL ? 1 : 0, b.data, b.len, timeout_ms, &status,
                        resp, sizeof resp, err, errlen);
    sodium_memzero(mem, sizeof mem);
    if (r != NETIO_SENT)
        return r == NETIO_PERMANENT ? NETIO_PERMANENT : NETIO_TEMPORARY;
    if (status >= 200 && status < 300)
        return NETIO_SENT;
    /* The status only: a gateway's text may quote the number, which stays confidential. */
    snprintf(err, errlen, "the SMS gateway answered %d", status);
    return status == 408 || status == 429 || status >= 500 ? NETIO_TEMPORARY : NETIO_PERMANENT;
}
