/*
 * modsec-harness: runs HTTP transactions described in JSON through libmodsecurity v3's C API, as a connector
 * (ModSecurity-nginx) drives it, and prints what the library decided. The reference side of Rampart's
 * side-by-side tests (audit-log golden records) and benchmarks.
 *
 *   modsec-harness CONFIG TRANSACTIONS.json
 *
 * CONFIG is a SecLang file loaded with msc_rules_add_file (its audit log settings decide where records go).
 * TRANSACTIONS.json is an array of transactions; the format is described in README.md. For each transaction one
 * JSON object is printed on its own line:
 *
 *   {"id":"...","interventions":[{"phase":"request_headers","status":403,"url":null,"log":"..."}],
 *    "log":["ModSecurity: Warning. ..."],"status":403,"elapsed_ns":123456}
 *
 * `log` holds the lines libmodsecurity hands to the server's error log (msc_set_log_cb); `status` is the status
 * the client would get. Exit status: 0 done, 1 bad input or configuration (message on stderr).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <modsecurity/modsecurity.h>
#include <modsecurity/rules_set.h>
#include <modsecurity/transaction.h>
#include <modsecurity/intervention.h>
#include <yajl/yajl_tree.h>

/* ------------------------------------------------------------------------------------------------------------ */
/* Output: a growable buffer and JSON string escaping (every byte kept: >= 0x80 passes through unchanged). */

struct buf {
    char *data;
    size_t len, cap;
};

static void buf_put(struct buf *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1) cap *= 2;
        char *p = realloc(b->data, cap);
        if (!p) { fprintf(stderr, "modsec-harness: out of memory\n"); exit(1); }
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void buf_str(struct buf *b, const char *s) { buf_put(b, s, strlen(s)); }

static void buf_fmt(struct buf *b, const char *fmt, long long v) {
    char tmp[64];
    int n = snprintf(tmp, sizeof tmp, fmt, v);
    buf_put(b, tmp, (size_t)n);
}

static void buf_json_string(struct buf *b, const char *s) {
    if (s == NULL) { buf_str(b, "null"); return; }
    buf_put(b, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char esc[8];
        switch (*p) {
            case '"': buf_put(b, "\\\"", 2); break;
            case '\\': buf_put(b, "\\\\", 2); break;
            case '\n': buf_put(b, "\\n", 2); break;
            case '\r': buf_put(b, "\\r", 2); break;
            case '\t': buf_put(b, "\\t", 2); break;
            default:
                if (*p < 0x20) {
                    snprintf(esc, sizeof esc, "\\u%04x", *p);
                    buf_put(b, esc, 6);
                } else {
                    buf_put(b, (const char *)p, 1);
                }
        }
    }
    buf_put(b, "\"", 1);
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Input helpers over yajl's tree. */

static const char *str_at(yajl_val obj, const char *key, const char *fallback) {
    const char *path[] = {key, NULL};
    yajl_val v = yajl_tree_get(obj, path, yajl_t_string);
    return v ? YAJL_GET_STRING(v) : fallback;
}

static long long int_at(yajl_val obj, const char *key, long long fallback) {
    const char *path[] = {key, NULL};
    yajl_val v = yajl_tree_get(obj, path, yajl_t_number);
    return v && YAJL_IS_INTEGER(v) ? YAJL_GET_INTEGER(v) : fallback;
}

static yajl_val member(yajl_val obj, const char *key, yajl_type type) {
    const char *path[] = {key, NULL};
    return obj ? yajl_tree_get(obj, path, type) : NULL;
}

static int b64(int c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    return -1;
}

/* A body: `body` (the string's UTF-8 bytes) or `body_base64` (any bytes). Caller frees *out. */
static size_t body_of(yajl_val obj, unsigned char **out) {
    const char *text = str_at(obj, "body", NULL);
    if (text) {
        size_t n = strlen(text);
        *out = malloc(n + 1);
        memcpy(*out, text, n + 1);
        return n;
    }
    const char *enc = str_at(obj, "body_base64", NULL);
    if (!enc) { *out = NULL; return 0; }
    size_t n = strlen(enc), len = 0;
    *out = malloc(n + 1);
    unsigned acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        int v = b64((unsigned char)enc[i]);
        if (v < 0) continue;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            (*out)[len++] = (unsigned char)((acc >> bits) & 0xff);
        }
    }
    return len;
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Running one transaction. */

struct run {
    struct buf log;        /* JSON array members: error-log lines */
    int log_count;
};

static void on_log(void *data, const void *msg) {
    struct run *r = data;
    if (!r || !msg) return;
    if (r->log_count++ > 0) buf_put(&r->log, ",", 1);
    buf_json_string(&r->log, (const char *)msg);
}

/* Asks for an intervention after a phase; records it and answers the status to send (0 = none). */
static int intervene(Transaction *tx, const char *phase, struct buf *out, int *count) {
    ModSecurityIntervention it;
    memset(&it, 0, sizeof it);
    it.status = 200;
    if (!msc_intervention(tx, &it)) {
        free(it.url);
        free(it.log);
        return 0;
    }
    if ((*count)++ > 0) buf_put(out, ",", 1);
    buf_str(out, "{\"phase\":");
    buf_json_string(out, phase);
    buf_fmt(out, ",\"status\":%lld", it.status);
    buf_str(out, ",\"url\":");
    buf_json_string(out, it.url);
    buf_str(out, ",\"log\":");
    buf_json_string(out, it.log);
    buf_put(out, "}", 1);
    int status = it.status;
    free(it.url);
    free(it.log);
    /* As ModSecurity-nginx: the audit log should show the status the client gets. */
    if (status != 200) msc_update_status_code(tx, status);
    return status;
}

static void add_headers(Transaction *tx, yajl_val list, int response) {
    if (!list || !YAJL_IS_ARRAY(list)) return;
    for (size_t i = 0; i < list->u.array.len; i++) {
        yajl_val pair = list->u.array.values[i];
        if (!YAJL_IS_ARRAY(pair) || pair->u.array.len != 2) continue;
        const char *name = YAJL_GET_STRING(pair->u.array.values[0]);
        const char *value = YAJL_GET_STRING(pair->u.array.values[1]);
        if (!name || !value) continue;
        if (response) msc_add_response_header(tx, (const unsigned char *)name, (const unsigned char *)value);
        else msc_add_request_header(tx, (const unsigned char *)name, (const unsigned char *)value);
    }
}

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void run_transaction(ModSecurity *ms, RulesSet *rules, yajl_val t, size_t index) {
    struct run r = {{NULL, 0, 0}, 0};
    struct buf interventions = {NULL, 0, 0};
    int n_int = 0;
    char fallback_id[32];
    snprintf(fallback_id, sizeof fallback_id, "tx-%zu", index + 1);
    const char *id = str_at(t, "id", fallback_id);
    yajl_val conn = member(t, "connection", yajl_t_object);
    yajl_val req = member(t, "request", yajl_t_object);
    yajl_val res = member(t, "response", yajl_t_object);

    long long start = now_ns();
    Transaction *tx = msc_new_transaction_with_id(ms, rules, (char *)id, &r);
    int status = 0;
    msc_process_connection(tx, conn ? str_at(conn, "client_ip", "127.0.0.1") : "127.0.0.1",
                           (int)(conn ? int_at(conn, "client_port", 50000) : 50000),
                           conn ? str_at(conn, "server_ip", "127.0.0.1") : "127.0.0.1",
                           (int)(conn ? int_at(conn, "server_port", 80) : 80));
    status = intervene(tx, "connection", &interventions, &n_int);
    if (!status) {
        msc_process_uri(tx, req ? str_at(req, "uri", "/") : "/", req ? str_at(req, "method", "GET") : "GET",
                        req ? str_at(req, "version", "1.1") : "1.1");
        status = intervene(tx, "uri", &interventions, &n_int);
    }
    if (!status) {
        add_headers(tx, member(req, "headers", yajl_t_array), 0);
        msc_process_request_headers(tx);
        status = intervene(tx, "request_headers", &interventions, &n_int);
    }
    if (!status) {
        unsigned char *body = NULL;
        size_t len = req ? body_of(req, &body) : 0;
        if (len > 0) msc_append_request_body(tx, body, len);
        free(body);
        msc_process_request_body(tx);
        status = intervene(tx, "request_body", &interventions, &n_int);
    }
    if (!status && res) {
        add_headers(tx, member(res, "headers", yajl_t_array), 1);
        msc_process_response_headers(tx, (int)int_at(res, "status", 200), str_at(res, "protocol", "HTTP/1.1"));
        status = intervene(tx, "response_headers", &interventions, &n_int);
        if (!status) {
            unsigned char *body = NULL;
            size_t len = body_of(res, &body);
            if (len > 0) msc_append_response_body(tx, body, len);
            free(body);
            msc_process_response_body(tx);
            status = intervene(tx, "response_body", &interventions, &n_int);
        }
    }
    msc_process_logging(tx);
    long long elapsed = now_ns() - start;
    msc_transaction_cleanup(tx);

    if (!status) status = res ? (int)int_at(res, "status", 200) : 200;
    struct buf out = {NULL, 0, 0};
    buf_str(&out, "{\"id\":");
    buf_json_string(&out, id);
    buf_str(&out, ",\"interventions\":[");
    if (interventions.data) buf_str(&out, interventions.data);
    buf_str(&out, "],\"log\":[");
    if (r.log.data) buf_str(&out, r.log.data);
    buf_fmt(&out, "],\"status\":%lld", status);
    buf_fmt(&out, ",\"elapsed_ns\":%lld}\n", elapsed);
    fwrite(out.data, 1, out.len, stdout);
    fflush(stdout);
    free(out.data);
    free(interventions.data);
    free(r.log.data);
}

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) { fprintf(stderr, "modsec-harness: cannot open %s: %s\n", path, strerror(errno)); exit(1); }
    struct buf b = {NULL, 0, 0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_put(&b, chunk, n);
    fclose(f);
    if (!b.data) buf_put(&b, "", 0);
    return b.data;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: modsec-harness CONFIG TRANSACTIONS.json\n");
        return 1;
    }
    char *text = read_file(argv[2]);
    char err[1024];
    yajl_val root = yajl_tree_parse(text, err, sizeof err);
    if (!root || !YAJL_IS_ARRAY(root)) {
        fprintf(stderr, "modsec-harness: %s: %s\n", argv[2], root ? "not a JSON array" : err);
        return 1;
    }

    ModSecurity *ms = msc_init();
    msc_set_connector_info(ms, "modsec-harness");
    msc_set_log_cb(ms, on_log);
    RulesSet *rules = msc_create_rules_set();
    const char *error = NULL;
    if (msc_rules_add_file(rules, argv[1], &error) < 0) {
        fprintf(stderr, "modsec-harness: %s: %s\n", argv[1], error ? error : "cannot load");
        return 1;
    }
    for (size_t i = 0; i < root->u.array.len; i++) run_transaction(ms, rules, root->u.array.values[i], i);

    msc_rules_cleanup(rules);
    msc_cleanup(ms);
    yajl_tree_free(root);
    free(text);
    return 0;
}
