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
/* A transaction read once from its description, so that a benchmark repeats only the library's work. */

struct header { const char *name, *value; };

struct prepared {
    const char *id;
    char fallback_id[32];
    const char *client_ip, *server_ip;
    int client_port, server_port;
    const char *uri, *method, *version;
    struct header *req_headers;
    size_t n_req_headers;
    unsigned char *req_body;
    size_t req_body_len;
    int has_response;
    int res_status;
    const char *res_protocol;
    struct header *res_headers;
    size_t n_res_headers;
    unsigned char *res_body;
    size_t res_body_len;
};

static struct header *headers_of(yajl_val list, size_t *count) {
    *count = 0;
    if (!list || !YAJL_IS_ARRAY(list)) return NULL;
    struct header *out = calloc(list->u.array.len + 1, sizeof *out);
    for (size_t i = 0; i < list->u.array.len; i++) {
        yajl_val pair = list->u.array.values[i];
        if (!YAJL_IS_ARRAY(pair) || pair->u.array.len != 2) continue;
        const char *name = YAJL_GET_STRING(pair->u.array.values[0]);
        const char *value = YAJL_GET_STRING(pair->u.array.values[1]);
        if (!name || !value) continue;
        out[(*count)++] = (struct header){name, value};
    }
    return out;
}

/* Strings point into the yajl tree (or the struct itself), which outlive their use. */
static void prepare(yajl_val t, size_t index, struct prepared *p) {
    memset(p, 0, sizeof *p);
    snprintf(p->fallback_id, sizeof p->fallback_id, "tx-%zu", index + 1);
    p->id = str_at(t, "id", p->fallback_id);
    yajl_val conn = member(t, "connection", yajl_t_object);
    yajl_val req = member(t, "request", yajl_t_object);
    yajl_val res = member(t, "response", yajl_t_object);
    p->client_ip = conn ? str_at(conn, "client_ip", "127.0.0.1") : "127.0.0.1";
    p->client_port = (int)(conn ? int_at(conn, "client_port", 50000) : 50000);
    p->server_ip = conn ? str_at(conn, "server_ip", "127.0.0.1") : "127.0.0.1";
    p->server_port = (int)(conn ? int_at(conn, "server_port", 80) : 80);
    p->uri = req ? str_at(req, "uri", "/") : "/";
    p->method = req ? str_at(req, "method", "GET") : "GET";
    p->version = req ? str_at(req, "version", "1.1") : "1.1";
    p->req_headers = headers_of(member(req, "headers", yajl_t_array), &p->n_req_headers);
    p->req_body_len = req ? body_of(req, &p->req_body) : 0;
    if (res) {
        p->has_response = 1;
        p->res_status = (int)int_at(res, "status", 200);
        p->res_protocol = str_at(res, "protocol", "HTTP/1.1");
        p->res_headers = headers_of(member(res, "headers", yajl_t_array), &p->n_res_headers);
        p->res_body_len = body_of(res, &p->res_body);
    }
}

static void release(struct prepared *p) {
    free(p->req_headers);
    free(p->req_body);
    free(p->res_headers);
    free(p->res_body);
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

static void add_headers(Transaction *tx, const struct header *h, size_t n, int response) {
    for (size_t i = 0; i < n; i++) {
        if (response) msc_add_response_header(tx, (const unsigned char *)h[i].name, (const unsigned char *)h[i].value);
        else msc_add_request_header(tx, (const unsigned char *)h[i].name, (const unsigned char *)h[i].value);
    }
}

static long long clock_ns(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long now_ns(void) { return clock_ns(CLOCK_MONOTONIC); }

/* CPU time of the whole process (every thread), as the benchmark compares with Node's process.cpuUsage(). */
static long long cpu_ns(void) { return clock_ns(CLOCK_PROCESS_CPUTIME_ID); }

/*
 * Runs the transaction through the library as ModSecurity-nginx does; fills `interventions` (JSON members) and
 * `r` (error-log lines); answers the status the client gets. Wall time from msc_new_transaction_with_id to
 * the end of msc_process_logging goes to *elapsed.
 */
static int execute(ModSecurity *ms, RulesSet *rules, const struct prepared *p, struct run *r, struct buf *interventions, long long *elapsed) {
    int n_int = 0;
    long long start = now_ns();
    Transaction *tx = msc_new_transaction_with_id(ms, rules, (char *)p->id, r);
    int status = 0;
    msc_process_connection(tx, p->client_ip, p->client_port, p->server_ip, p->server_port);
    status = intervene(tx, "connection", interventions, &n_int);
    if (!status) {
        msc_process_uri(tx, p->uri, p->method, p->version);
        status = intervene(tx, "uri", interventions, &n_int);
    }
    if (!status) {
        add_headers(tx, p->req_headers, p->n_req_headers, 0);
        msc_process_request_headers(tx);
        status = intervene(tx, "request_headers", interventions, &n_int);
    }
    if (!status) {
        if (p->req_body_len > 0) msc_append_request_body(tx, p->req_body, p->req_body_len);
        msc_process_request_body(tx);
        status = intervene(tx, "request_body", interventions, &n_int);
    }
    if (!status && p->has_response) {
        add_headers(tx, p->res_headers, p->n_res_headers, 1);
        msc_process_response_headers(tx, p->res_status, p->res_protocol);
        status = intervene(tx, "response_headers", interventions, &n_int);
        if (!status) {
            if (p->res_body_len > 0) msc_append_response_body(tx, p->res_body, p->res_body_len);
            msc_process_response_body(tx);
            status = intervene(tx, "response_body", interventions, &n_int);
        }
    }
    msc_process_logging(tx);
    *elapsed = now_ns() - start;
    msc_transaction_cleanup(tx);
    if (!status) status = p->has_response ? p->res_status : 200;
    return status;
}

static void run_transaction(ModSecurity *ms, RulesSet *rules, yajl_val t, size_t index) {
    struct prepared p;
    prepare(t, index, &p);
    struct run r = {{NULL, 0, 0}, 0};
    struct buf interventions = {NULL, 0, 0};
    long long elapsed = 0;
    int status = execute(ms, rules, &p, &r, &interventions, &elapsed);

    struct buf out = {NULL, 0, 0};
    buf_str(&out, "{\"id\":");
    buf_json_string(&out, p.id);
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
    release(&p);
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Benchmark mode. */

/* A field of /proc/self/status in kB (VmRSS, VmHWM), or -1. */
static long proc_status_kb(const char *field) {
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) return -1;
    char line[256];
    long kb = -1;
    size_t n = strlen(field);
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, field, n) == 0 && line[n] == ':') {
            kb = strtol(line + n + 1, NULL, 10);
            break;
        }
    }
    fclose(f);
    return kb;
}

static int cmp_ll(const void *a, const void *b) {
    long long x = *(const long long *)a, y = *(const long long *)b;
    return x < y ? -1 : x > y;
}

/*
 * Repeats each transaction for at least `seconds` of CPU time (and at least 3 times) after a warm-up of a fifth
 * of that, and prints one JSON object: the load time, RSS after the load and at the end, and per transaction its
 * CPU and wall time per run. The figures are for side-by-side runs (packages/engine/bench), never for assertions.
 */
static void bench(ModSecurity *ms, RulesSet *rules, yajl_val root, double seconds, const struct buf *load_json) {
    struct buf out = {NULL, 0, 0};
    buf_str(&out, "{\"engine\":");
    buf_json_string(&out, msc_who_am_i(ms));
    buf_str(&out, ",");
    buf_str(&out, load_json->data);
    buf_fmt(&out, ",\"rss_after_load_kb\":%lld", proc_status_kb("VmRSS"));
    buf_str(&out, ",\"transactions\":[");
    long long budget = (long long)(seconds * 1e9);
    for (size_t i = 0; i < root->u.array.len; i++) {
        struct prepared p;
        prepare(root->u.array.values[i], i, &p);
        struct run r = {{NULL, 0, 0}, 0};
        struct buf interventions = {NULL, 0, 0};
        long long elapsed = 0;
        /* Warm-up (as Rampart's side, whose JIT needs it), also the verdict shown. */
        int status = execute(ms, rules, &p, &r, &interventions, &elapsed);
        free(interventions.data);
        interventions = (struct buf){NULL, 0, 0};
        for (long long warm = cpu_ns(); cpu_ns() - warm < budget / 5;) {
            struct run quiet = {{NULL, 0, 0}, 0};
            execute(ms, rules, &p, &quiet, &interventions, &elapsed);
            free(quiet.log.data);
            free(interventions.data);
            interventions = (struct buf){NULL, 0, 0};
        }
        size_t cap = 64, n = 0;
        long long *walls = malloc(cap * sizeof *walls);
        long long cpu0 = cpu_ns(), wall0 = now_ns();
        while (n < 3 || cpu_ns() - cpu0 < budget) {
            struct run quiet = {{NULL, 0, 0}, 0};
            execute(ms, rules, &p, &quiet, &interventions, &elapsed);
            free(quiet.log.data);
            free(interventions.data);
            interventions = (struct buf){NULL, 0, 0};
            if (n == cap) walls = realloc(walls, (cap *= 2) * sizeof *walls);
            walls[n++] = elapsed;
        }
        long long cpu = cpu_ns() - cpu0, wall = now_ns() - wall0;
        qsort(walls, n, sizeof *walls, cmp_ll);
        if (i > 0) buf_put(&out, ",", 1);
        buf_str(&out, "{\"id\":");
        buf_json_string(&out, p.id);
        buf_fmt(&out, ",\"status\":%lld", status);
        buf_fmt(&out, ",\"logged\":%lld", r.log_count);
        buf_fmt(&out, ",\"runs\":%lld", (long long)n);
        buf_fmt(&out, ",\"cpu_ns_per_run\":%lld", cpu / (long long)n);
        buf_fmt(&out, ",\"wall_ns_per_run\":%lld", wall / (long long)n);
        buf_fmt(&out, ",\"wall_p50_ns\":%lld", walls[n / 2]);
        buf_fmt(&out, ",\"wall_p99_ns\":%lld}", walls[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1]);
        free(walls);
        free(r.log.data);
        release(&p);
    }
    buf_fmt(&out, "],\"max_rss_kb\":%lld}\n", proc_status_kb("VmHWM"));
    fwrite(out.data, 1, out.len, stdout);
    fflush(stdout);
    free(out.data);
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

static void usage(void) {
    fprintf(stderr, "usage: modsec-harness CONFIG TRANSACTIONS.json\n       modsec-harness --bench SECONDS CONFIG TRANSACTIONS.json\n");
}

int main(int argc, char **argv) {
    double seconds = 0;
    int benchmark = argc == 5 && strcmp(argv[1], "--bench") == 0;
    if (benchmark) {
        char *end = NULL;
        seconds = strtod(argv[2], &end);
        if (!end || *end || seconds <= 0) { usage(); return 1; }
        argv += 2;
    } else if (argc != 3) {
        usage();
        return 1;
    }
    char *text = read_file(argv[2]);
    char err[1024];
    yajl_val root = yajl_tree_parse(text, err, sizeof err);
    if (!root || !YAJL_IS_ARRAY(root)) {
        fprintf(stderr, "modsec-harness: %s: %s\n", argv[2], root ? "not a JSON array" : err);
        return 1;
    }

    /* The load is timed from msc_init (a cold library) to the compiled rule set, in wall and CPU time. */
    long long wall0 = now_ns(), cpu0 = cpu_ns();
    ModSecurity *ms = msc_init();
    msc_set_connector_info(ms, "modsec-harness");
    msc_set_log_cb(ms, on_log);
    RulesSet *rules = msc_create_rules_set();
    const char *error = NULL;
    if (msc_rules_add_file(rules, argv[1], &error) < 0) {
        fprintf(stderr, "modsec-harness: %s: %s\n", argv[1], error ? error : "cannot load");
        return 1;
    }
    long long load_wall = now_ns() - wall0, load_cpu = cpu_ns() - cpu0;
    if (benchmark) {
        struct buf load = {NULL, 0, 0};
        buf_fmt(&load, "\"load_wall_ns\":%lld", load_wall);
        buf_fmt(&load, ",\"load_cpu_ns\":%lld", load_cpu);
        bench(ms, rules, root, seconds, &load);
        free(load.data);
    } else {
        for (size_t i = 0; i < root->u.array.len; i++) run_transaction(ms, rules, root->u.array.values[i], i);
    }

    msc_rules_cleanup(rules);
    msc_cleanup(ms);
    yajl_tree_free(root);
    free(text);
    return 0;
}
