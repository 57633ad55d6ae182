/* SPDX-License-Identifier: GPL-3.0-or-later */
/* standalone.c: replays fuzz inputs without libFuzzer. Each argument is a
 * file or a directory of files; with --random N it also runs N generated
 * inputs (mutations of the files, deterministic seed). Exit 0 when no input
 * crashed (a crash aborts the process). */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
void jb_fuzz_teardown(void);

static uint8_t **inputs;
static size_t *sizes, ninputs;

static int add_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    return -1;
  }
  uint8_t *buf = NULL;
  size_t len = 0, cap = 0;
  for (;;) {
    if (len == cap) {
      cap = cap ? cap * 2 : 4096;
      uint8_t *nb = realloc(buf, cap);
      if (!nb)
        abort();
      buf = nb;
    }
    size_t got = fread(buf + len, 1, cap - len, f);
    if (!got)
      break;
    len += got;
  }
  fclose(f);
  inputs = realloc(inputs, (ninputs + 1) * sizeof *inputs);
  sizes = realloc(sizes, (ninputs + 1) * sizeof *sizes);
  if (!inputs || !sizes)
    abort();
  inputs[ninputs] = buf;
  sizes[ninputs++] = len;
  return 0;
}

static int add_path(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) {
    perror(path);
    return -1;
  }
  if (!S_ISDIR(st.st_mode))
    return add_file(path);
  DIR *d = opendir(path);
  if (!d)
    return -1;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.')
      continue;
    char p[4096];
    snprintf(p, sizeof p, "%s/%s", path, e->d_name);
    if (add_path(p) != 0) {
      closedir(d);
      return -1;
    }
  }
  closedir(d);
  return 0;
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint32_t next(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (uint32_t)(rng >> 11);
}

int main(int argc, char **argv) {
  long random_runs = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--random") && i + 1 < argc) {
      random_runs = strtol(argv[++i], NULL, 10);
      continue;
    }
    if (add_path(argv[i]) != 0)
      return 2;
  }
  for (size_t i = 0; i < ninputs; i++)
    LLVMFuzzerTestOneInput(inputs[i], sizes[i]);
  uint8_t buf[4096];
  for (long r = 0; r < random_runs && ninputs; r++) {
    size_t k = next() % ninputs, len = sizes[k] < sizeof buf ? sizes[k] : sizeof buf;
    memcpy(buf, inputs[k], len);
    int muts = 1 + (int)(next() % 8);
    for (int m = 0; m < muts && len; m++) {
      switch (next() % 4) {
      case 0: buf[next() % len] = (uint8_t)next(); break;
      case 1: buf[next() % len] ^= (uint8_t)(1u << (next() % 8)); break;
      case 2: len = next() % (len + 1); break;
      default: {
        size_t a = next() % len, b = next() % len;
        uint8_t tmp = buf[a];
        buf[a] = buf[b];
        buf[b] = tmp;
      }
      }
    }
    LLVMFuzzerTestOneInput(buf, len);
  }
  printf("%zu corpus inputs and %ld mutated inputs: no crash\n", ninputs, random_runs);
  for (size_t i = 0; i < ninputs; i++)
    free(inputs[i]);
  free(inputs);
  free(sizes);
  jb_fuzz_teardown();
  return 0;
}
