#!/usr/bin/env python3
"""openapi_public.py: add (or refresh) the routes of issue 4's public portal in
src/http/openapi.json. The document is otherwise edited by hand; run this after changing
src/http/public.c's routing table. tests/http/test_roles.sh checks the result against
`holdcheck routes`."""
import json
import sys

PATH = sys.argv[1] if len(sys.argv) > 1 else "src/http/openapi.json"
ANY = ["public", "clerk", "supervisor", "auditor", "admin"]
WRITERS = ["clerk", "supervisor", "admin"]
P = {"$ref": "#/components/responses/Problem"}


def param(name, where, desc, required=None):
    p = {"name": name, "in": where, "required": where == "path" if required is None else required,
         "description": desc, "schema": {"type": "string"}}
    return p


def op(summary, roles, ok, okdesc, ctype="application/json", errors=(400,), params=(),
       body=False, schema="object"):
    o = {"summary": summary, "x-roles": roles,
         "responses": {str(ok): {"description": okdesc,
                                  "content": {ctype: {"schema": {"type": schema}}}}}}
    for e in errors:
        o["responses"][str(e)] = P
    o["security"] = [] if "public" in roles else [{"bearer": []}, {"cookie": []}]
    if params:
        o["parameters"] = list(params)
    if body:
        o["requestBody"] = {"required": True,
                            "content": {"application/json": {"schema": {"type": "object"}}}}
    return o


Q = [param(n, "query", d, False) for n, d in [
    ("name", "'Last, First': last-name prefix, then first-name prefix; case, accents and "
             "punctuation ignored (needs names published)"),
    ("last", "last-name prefix (not with name)"),
    ("first", "first-name prefix (needs last)"),
    ("booking_no", "exact booking number"),
    ("dob", "date of birth YYYY-MM-DD, with name or last"),
    ("facility", "exact facility"),
    ("custody_status", "in_custody or released"),
    ("limit", "1-100, default 25"),
    ("cursor", "next_cursor of the previous page"),
]]
BNO = param("booking_no", "path", "1-40 of A-Z a-z 0-9 - _ .")
TOK = param("token", "path", "64 lower-case hex digits, from a message")

paths = {
    "/api/v1/public/info": {"get": op(
        "The publication policy as the public sees it: published fields, search, events, limits",
        ANY, 200, "published fields and capabilities (docs/public-api.md)", errors=(429,))},
    "/api/v1/public/status": {"get": op(
        "When each facility's data last changed", ANY, 200, "the status line", errors=(429,))},
    "/api/v1/public/inmates": {"get": op(
        "Search the public list (only published fields appear)", ANY, 200,
        "{inmates, next_cursor, limit}", errors=(400, 429), params=Q)},
    "/api/v1/public/inmates/{booking_no}": {"get": op(
        "One booking of the public list", ANY, 200, "the record's published fields",
        errors=(400, 404, 429), params=[BNO])},
    "/api/v1/public/export.csv": {"get": op(
        "The newest daily snapshot as CSV", ANY, 200, "CSV (RFC 4180) of the published fields",
        ctype="text/csv", errors=(404, 429, 503), schema="string")},
    "/api/v1/public/export.jsonl": {"get": op(
        "The newest daily snapshot as JSON Lines", ANY, 200, "one record a line",
        ctype="application/x-ndjson", errors=(404, 429, 503), schema="string")},
    "/api/v1/public/snapshots": {"get": op(
        "The kept daily snapshots", ANY, 200, "{snapshots: [...]}", errors=(404, 429))},
    "/api/v1/public/snapshots/{date}": {"get": op(
        "One daily snapshot: YYYY-MM-DD.csv or YYYY-MM-DD.jsonl", ANY, 200, "the snapshot",
        ctype="text/csv", errors=(400, 404, 410, 429), schema="string",
        params=[param("date", "path", "YYYY-MM-DD.csv or YYYY-MM-DD.jsonl")])},
    "/api/v1/public/subscriptions": {"post": op(
        "Subscribe to a booking's changes by email or webhook (double opt-in)", ANY, 202,
        "pending confirmation; for webhooks the HMAC secret, shown once",
        errors=(400, 404, 413, 415, 429), body=True)},
    "/api/v1/public/subscriptions/confirm/{token}": {
        "post": op("Confirm a subscription", ANY, 200, "{confirmed, booking_no, events}",
                   errors=(400, 404, 429), params=[TOK]),
        "get": op("A confirmation link: 303 to the page, which POSTs", ANY, 303,
                  "See Other: /?confirm=TOKEN", errors=(400, 429), params=[TOK])},
    "/api/v1/public/subscriptions/unsubscribe/{token}": {
        "post": op("Unsubscribe (one click, RFC 8058; the body is ignored)", ANY, 200,
                   "{unsubscribed: true}", errors=(400, 404, 429), params=[TOK]),
        "get": op("An unsubscribe link: 303 to the page, which POSTs", ANY, 303,
                  "See Other: /?unsubscribe=TOKEN", errors=(400, 429), params=[TOK])},
    "/api/v1/agency/publication": {
        "get": op("The publication policy and the legal effect of each field", ["admin"], 200,
                  "the policy (docs/public.md)", errors=(401, 403)),
        "put": op("Replace the publication policy; derives release_dates_public; audited",
                  ["admin"], 200, "the new policy", errors=(400, 401, 403, 415), body=True)},
    "/api/v1/bookings/{booking_no}": {"patch": op(
        "Change a booking's status, release, facility, scheduled release, bail or court date; "
        "queues the subscribers' events; audited", WRITERS, 200,
        "the booking's state and the events queued", errors=(400, 401, 403, 404, 415),
        params=[BNO], body=True)},
    "/api/v1/deliveries": {"get": op(
        "The delivery queue (never the subscribers' addresses)", ["admin"], 200,
        "{deliveries, next_after}", errors=(400, 401, 403),
        params=[param("status", "query", "pending, sending, delivered, failed or cancelled",
                      False),
                param("after", "query", "only ids above this", False),
                param("limit", "query", "1-500, default 100", False)])},
    "/": {"get": op("The public web page (web/public/index.html)", ANY, 200, "HTML",
                    ctype="text/html", errors=(), schema="string")},
    "/{file}": {"get": op("A file of the public web page (web/public/FILE)", ANY, 200,
                          "the file", ctype="application/octet-stream", errors=(404,),
                          schema="string", params=[param("file", "path", "file name")])},
    "/{dir}/{file}": {"get": op("A file of the public web page (web/public/DIR/FILE)", ANY, 200,
                                "the file", ctype="application/octet-stream", errors=(404,),
                                schema="string",
                                params=[param("dir", "path", "directory"),
                                        param("file", "path", "file name")])},
}

with open(PATH, encoding="utf-8") as f:
    doc = json.load(f)
for p, ops in paths.items():
    doc["paths"].setdefault(p, {})
    doc["paths"][p].update(ops)
with open(PATH, "w", encoding="utf-8") as f:
    f.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
