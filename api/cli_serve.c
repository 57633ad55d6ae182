/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli_serve.c: `jiebang serve` and `jiebang key`. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api/cli.h"
#include "api/server.h"
#include "engine/jiebang.h"

void jb_cli_serve_help(FILE *out) {
  fprintf(out,
          "usage: jiebang serve [--listen ADDR:PORT] [--data DIR] [--demo] [--config FILE]\n"
          "       jiebang serve --routes\n\n"
          "Serves the HTTP API (docs/api.md) until SIGINT or SIGTERM, which stop it\n"
          "gracefully (requests in flight finish, the index is brought up to date).\n\n"
          "  --listen ADDR:PORT   default 127.0.0.1:8080 (port 0: any free port)\n"
          "  --data DIR           the data directory (default ./var)\n"
          "  --demo               import the demo world into DIR first (a no-op when it\n"
          "                       is there already)\n"
          "  --config FILE        settings, 'key = value' lines: listen, data,\n"
          "                       match.weights, workers, log, limits.* (docs/api.md)\n"
          "  --routes             print the route table (METHOD PATH PARAMS ROLE FLAGS) and exit\n"
          "A first admin key: jiebang key create --role admin --data DIR\n");
}

static void on_ready(const char *addr) {
  printf("jiebang: listening on http://%s\n", addr);
  fflush(stdout);
}

int jb_cli_serve(int argc, char **argv) {
  static const struct option lo[] = {{"listen", required_argument, NULL, 'l'},
                                     {"data", required_argument, NULL, 'd'},
                                     {"demo", no_argument, NULL, 'D'},
                                     {"config", required_argument, NULL, 'c'},
                                     {"routes", no_argument, NULL, 'r'},
                                     {"help", no_argument, NULL, 'h'},
                                     {NULL, 0, NULL, 0}};
  jb_server_config cfg;
  jb_server_config_init(&cfg);
  const char *listen = NULL, *data = NULL, *config = NULL;
  int demo = 0, opt;
  optind = 1;
  while ((opt = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
    switch (opt) {
    case 'l': listen = optarg; break;
    case 'd': data = optarg; break;
    case 'D': demo = 1; break;
    case 'c': config = optarg; break;
    case 'r': jb_server_print_routes(stdout); return 0;
    case 'h': jb_cli_serve_help(stdout); return 0;
    default: jb_cli_serve_help(stderr); return 2;
    }
  }
  if (optind != argc) {
    jb_cli_error("serve: unexpected argument '%s'", argv[optind]);
    return 2;
  }
  if (config) {
    char err[1024];
    if (jb_server_config_load(&cfg, config, err, sizeof err) != JB_OK) {
      jb_cli_error("%s", err);
      return 1;
    }
  }
  /* the command line wins over the file */
  if ((listen && strlen(listen) >= sizeof cfg.listen) || (data && strlen(data) >= sizeof cfg.data)) {
    jb_cli_error("serve: --listen or --data is too long");
    return 2;
  }
  if (listen)
    snprintf(cfg.listen, sizeof cfg.listen, "%s", listen);
  if (data)
    snprintf(cfg.data, sizeof cfg.data, "%s", data);
  if (demo) {
    char *args[] = {"import", "--demo", "--quiet", "--data", cfg.data, NULL};
    if (jb_cli_import(5, args) != 0)
      return 1;
  }
  return jb_serve(&cfg, on_ready);
}

/* jiebang key list: a read beside a running server (no index, read-only) */
static int key_list(const char *dir, int as_json) {
  jb_engine_opts o = {1, NULL, NULL, 1};
  jb_engine *e = NULL;
  char err[1024], *out = NULL;
  if (jb_engine_open_store(dir, &o, &e, err, sizeof err) != JB_OK) {
    jb_cli_error("%s", err);
    return 1;
  }
  int rc = jb_engine_key_list(e, &out);
  if (rc != JB_OK) {
    jb_cli_error("%s", jb_engine_error(e)[0] ? jb_engine_error(e) : jb_strerror(rc));
  } else if (as_json) {
    printf("%s\n", out);
  } else {
    json_t *arr = json_loads(out, 0, NULL);
    size_t i;
    json_t *k;
    printf("%-18s %-10s %-24s %-20s %-20s %s\n", "ID", "ROLE", "ORG", "CREATED", "LAST USED",
           "REVOKED");
#define OR_DASH(x) (json_string_value(json_object_get(k, x)) ? json_string_value(json_object_get(k, x)) : "-")
    json_array_foreach(arr, i, k) {
      printf("%-18s %-10s %-24s %-20s %-20s %s\n", OR_DASH("id"), OR_DASH("role"), OR_DASH("org"),
             OR_DASH("created_at"), OR_DASH("last_used_at"), OR_DASH("revoked_at"));
    }
#undef OR_DASH
    if (!arr)
      rc = JB_ENOMEM;
    json_decref(arr);
  }
  free(out);
  jb_engine_close(e);
  return rc == JB_OK ? 0 : 1;
}

void jb_cli_key_help(FILE *out) {
  fprintf(out, "usage: jiebang key create --role ROLE [--org ID] [--data DIR]\n"
               "       jiebang key revoke ID [--data DIR]\n"
               "       jiebang key list [--json] [--data DIR]\n\n"
               "Creates an API key (printed once: only its hash is stored), revokes one, or\n"
               "lists them (id, role, org, created, last used — to the minute —, revoked;\n"
               "never a secret). Roles: " JB_ROLES "; enterprise and\n"
               "researcher keys need --org (an existing org). Works beside a running server.\n"
               "  --json           list: one JSON array, times in RFC 3339\n"
               "  --data DIR       the data directory (default ./var)\n");
}

int jb_cli_key(int argc, char **argv) {
  static const struct option lo[] = {{"role", required_argument, NULL, 'r'},
                                     {"org", required_argument, NULL, 'o'},
                                     {"data", required_argument, NULL, 'd'},
                                     {"json", no_argument, NULL, 'j'},
                                     {"help", no_argument, NULL, 'h'},
                                     {NULL, 0, NULL, 0}};
  const char *role = NULL, *org = NULL, *dir = "var";
  int opt, as_json = 0;
  optind = 1;
  while ((opt = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
    switch (opt) {
    case 'r': role = optarg; break;
    case 'o': org = optarg; break;
    case 'd': dir = optarg; break;
    case 'j': as_json = 1; break;
    case 'h': jb_cli_key_help(stdout); return 0;
    default: jb_cli_key_help(stderr); return 2;
    }
  }
  const char *verb = optind < argc ? argv[optind] : NULL;
  int create = verb && !strcmp(verb, "create"), revoke = verb && !strcmp(verb, "revoke");
  int list = verb && !strcmp(verb, "list");
  if ((!create && !revoke && !list) || ((create || list) && optind + 1 != argc) ||
      (revoke && optind + 2 != argc)) {
    jb_cli_key_help(stderr);
    return 2;
  }
  if ((list && (role || org)) || (!list && as_json)) {
    jb_cli_error(list ? "key list: --role and --org are for key create"
                      : "key: --json is for key list");
    return 2;
  }
  if (list)
    return key_list(dir, as_json);
  if (create && !role) {
    jb_cli_error("key create: --role is required (" JB_ROLES ")");
    return 2;
  }
  /* keys live in the store: a short write beside a running server is fine
   * (SQLite's lock), but the index writer lock must not be taken */
  jb_engine_opts o = {0, NULL, NULL, 1};
  jb_engine *e = NULL;
  char err[1024];
  int rc = jb_engine_open_store(dir, &o, &e, err, sizeof err);
  if (rc != JB_OK) {
    jb_cli_error("%s", err);
    return 1;
  }
  if (create) {
    jb_key_info info;
    char *secret = NULL;
    rc = jb_engine_key_create(e, role, org, &info, &secret);
    if (rc == JB_OK) {
      printf("%s\n", secret);
      fprintf(stderr, "jiebang: key %s (%s%s%s) created; it is shown once, keep it safe\n",
              info.id, info.role, info.org[0] ? ", org " : "", info.org);
    }
    free(secret);
  } else {
    rc = jb_engine_key_revoke(e, argv[optind + 1]);
    if (rc == JB_OK)
      fprintf(stderr, "jiebang: key %s revoked\n", argv[optind + 1]);
  }
  if (rc != JB_OK)
    jb_cli_error("%s", jb_engine_error(e)[0] ? jb_engine_error(e) : jb_strerror(rc));
  jb_engine_close(e);
  return rc == JB_OK ? 0 : 1;
}

void jb_cli_audit_help(FILE *out) {
  fprintf(out, "usage: jiebang audit verify [--data DIR]\n"
               "       jiebang audit list [--data DIR] [--type T] [--id ID] [--actor KEY]\n"
               "                          [--action A] [--after SEQ] [--limit N]\n\n"
               "The audit log: every change made through the API and every lifecycle step,\n"
               "each entry holding the SHA-256 of the one before. verify recomputes the\n"
               "chain and names the first entry that was edited, removed or reordered\n"
               "(exit 1); list prints entries as JSON lines.\n"
               "  --data DIR       the data directory (default ./var)\n");
}

static int print_line(void *ctx, const char *json) {
  (void)ctx;
  puts(json);
  return 0;
}

int jb_cli_audit(int argc, char **argv) {
  static const struct option lo[] = {{"data", required_argument, NULL, 'd'},
                                     {"type", required_argument, NULL, 't'},
                                     {"id", required_argument, NULL, 'i'},
                                     {"actor", required_argument, NULL, 'a'},
                                     {"action", required_argument, NULL, 'x'},
                                     {"after", required_argument, NULL, 'f'},
                                     {"limit", required_argument, NULL, 'l'},
                                     {"help", no_argument, NULL, 'h'},
                                     {NULL, 0, NULL, 0}};
  const char *dir = "var", *type = NULL, *id = NULL, *actor = NULL, *action = NULL;
  long long after = 0, limit = 0;
  int opt;
  optind = 1;
  while ((opt = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
    char *end;
    switch (opt) {
    case 'd': dir = optarg; break;
    case 't': type = optarg; break;
    case 'i': id = optarg; break;
    case 'a': actor = optarg; break;
    case 'x': action = optarg; break;
    case 'f':
    case 'l': {
      long long v = strtoll(optarg, &end, 10);
      if (*end || v < 0) {
        jb_cli_error("--%s: '%s' is not a whole number", opt == 'f' ? "after" : "limit", optarg);
        return 2;
      }
      if (opt == 'f')
        after = v;
      else
        limit = v;
      break;
    }
    case 'h': jb_cli_audit_help(stdout); return 0;
    default: jb_cli_audit_help(stderr); return 2;
    }
  }
  const char *verb = optind < argc ? argv[optind] : NULL;
  if (!verb || optind + 1 != argc || (strcmp(verb, "verify") && strcmp(verb, "list"))) {
    jb_cli_audit_help(stderr);
    return 2;
  }
  jb_engine_opts o = {1, NULL, NULL, 1};
  jb_engine *e = NULL;
  char err[1024];
  if (jb_engine_open_store(dir, &o, &e, err, sizeof err) != JB_OK) {
    jb_cli_error("%s", err);
    return 1;
  }
  int rc;
  if (!strcmp(verb, "verify")) {
    int64_t n = 0, bad = 0;
    rc = jb_engine_audit_verify(e, &n, &bad);
    if (rc == JB_OK)
      printf("audit log: %lld entries, the chain is intact\n", (long long)n);
    else if (rc == JB_ECONFLICT)
      jb_cli_error("audit log: %s (first bad entry: %lld; %lld entries before it are intact)",
                   jb_engine_error(e), (long long)bad, (long long)n);
    else
      jb_cli_error("%s", jb_engine_error(e)[0] ? jb_engine_error(e) : jb_strerror(rc));
  } else {
    rc = jb_engine_audit_list(e, actor, action, type, id, after, (size_t)limit, print_line, NULL);
    if (rc != JB_OK)
      jb_cli_error("%s", jb_engine_error(e)[0] ? jb_engine_error(e) : jb_strerror(rc));
  }
  jb_engine_close(e);
  return rc == JB_OK ? 0 : 1;
}
