/* SPDX-License-Identifier: MIT
 * sms.h: SMS for the public subscriptions (docs/public.md, "SMS"): telephone numbers in E.164,
 * the confirmation code, the opt-out words, the messages in the six subscriber languages and
 * their length in SMS segments, and sending through a generic HTTPS SMS gateway configured by
 * URL, auth header and body template (netio.h does the HTTPS). No state: every function is
 * thread-safe. */
#ifndef HC_SMS_H
#define HC_SMS_H

#include <stddef.h>

#include "buf.h"
#include "err.h"
#include "netio.h"

#define SMS_E164_MAX 16  /* '+' and at most 15 digits, and the NUL */
#define SMS_CODE_LEN 6   /* digits of a confirmation code */
#define SMS_TEXT_MAX 640 /* bytes of a message this server writes, at most */

/* Normalize the telephone number s, as people write it, to E.164 in out: digits with spaces,
 * dots, dashes and parentheses between them, optionally led by '+'. Without '+', a number is
 * taken as the United States' (country code 1): ten digits, or eleven beginning with 1;
 * "(555) 010-0123", "555.010.0123" and "+1 555 010 0123" are all "+15550100123". With '+',
 * 8 to 15 digits, the first not 0. Returns 0, or HC_EINVAL for anything else (letters, an
 * extension, too few or too many digits). */
int sms_number_normalize(const char *s, char out[SMS_E164_MAX]);

/* The confirmation code of a subscription whose confirm token is confirm_token: SMS_CODE_LEN
 * decimal digits derived from the token (keyed BLAKE2b), so every attempt to send it sends the
 * same code and the code is never stored. out gets the digits and a NUL. */
void sms_code(const char *confirm_token, char out[SMS_CODE_LEN + 1]);

/* Whether text (UTF-8) is an opt-out word: STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT,
 * ARRÊT (or ARRET), ALTO or PARA, in any case and with any white space around or inside it.
 * Returns the word's canonical ASCII name ("STOP", ..., "ARRET") or NULL. */
const char *sms_stop_word(const char *text);

/* The language a reply to the opt-out word word (sms_stop_word) is written in when the number
 * has no subscription to tell: "es" for ALTO and PARA, "en" otherwise. */
const char *sms_stop_lang(const char *word);

/* How text (UTF-8) travels as SMS: *ucs2 (OUT) 1 when a character is outside the GSM 03.38
 * alphabet (then every character costs one UTF-16 unit, two beyond the BMP), 0 when it is all
 * GSM-7 (the extension table's characters cost two septets). Returns the number of segments:
 * 1 when it fits one message (160 septets, or 70 UTF-16 units), else concatenated segments of
 * 153 septets or 67 units; 0 for an empty text. *units (OUT, may be NULL) gets the septets or
 * UTF-16 units. */
int sms_segments(const char *text, int *units, int *ucs2);

/* What a message tells, borrowed strings; NULL when not known or not published. */
struct sms_event {
    const char *kind;       /* "confirm", "released", "transferred", "release_date",
                             * "advance_notice", "rebooked" or "stop" (the opt-out reply) */
    const char *lang;       /* one of subscribe_langs; unknown: "en" */
    const char *booking_no;
    const char *name;       /* the person's name as published, or NULL */
    const char *when;       /* a date or time of the event as stored (sms_local_when formats it) */
    const char *facility;   /* transferred: where to */
    const char *other;      /* transferred: where from; rebooked: the new booking number */
    int days;               /* advance_notice: days before the release */
    const char *code;       /* confirm: the code */
};

/* Write the message ev tells, in ev->lang, into b (UTF-8, no line breaks). The texts are short
 * to fit one segment (sms_segments) with a name of usual length; nothing in them touches
 * immigration. The non-English texts await certified review (sms.c). */
void sms_message(const struct sms_event *ev, struct hc_buf *b);

/* A date or time v as stored ("YYYY-MM-DD", RFC 3339 with an offset, or UTC with 'Z') as the
 * agency's local "YYYY-MM-DD" or "YYYY-MM-DD HH:MM" into out (v as is when it reads as none). */
void sms_local_when(const char *v, char out[24]);

/* A generic HTTPS SMS gateway. Strings are borrowed. */
struct sms_gateway {
    const char *url;           /* where messages are POSTed (http:// or https://) */
    const char *auth_header;   /* a header line sent with each, "Authorization: Basic ..."; or
                                * NULL */
    const char *body_template; /* the body, with {to}, {from} and {text} replaced; JSON when it
                                * starts with '{' (values escaped as JSON string content),
                                * otherwise a form (values percent-encoded); NULL:
                                * SMS_BODY_TEMPLATE_DEFAULT */
    const char *from;          /* the sender number or name, as the gateway wants it */
    const char *ca_file;       /* PEM bundle for the gateway's certificate; NULL: system's */
};

#define SMS_BODY_TEMPLATE_DEFAULT "{\"to\":\"{to}\",\"from\":\"{from}\",\"text\":\"{text}\"}"

/* Render template tmpl (NULL: the default) with to, from and text into b, each value escaped
 * for the template's content type; *json (OUT) says which it is. */
void sms_body(const char *tmpl, const char *to, const char *from, const char *text,
              struct hc_buf *b, int *json);

/* Send text to number to (E.164) through g within timeout_ms. The gateway is the operator's
 * own choice, so loopback and private addresses are allowed. Returns NETIO_SENT when the
 * gateway answered 2xx; NETIO_TEMPORARY with err set for no answer, 408, 429 or 5xx;
 * NETIO_PERMANENT for any other answer (the number or the request refused). The error never
 * holds the number. */
enum netio_result sms_send(const struct sms_gateway *g, const char *to, const char *text,
                           int timeout_ms, char *err, size_t errlen);

#endif
