/* SPDX-License-Identifier: GPL-3.0-or-later */
/* friso_seg.c: a peer for bench/segeval.sh — segments standard input line by
 * line with friso (libfriso, Debian's friso-dict lexicon, complex mode as in
 * /etc/friso/friso.ini, synonyms and secondary segmentation off) and prints
 * the words separated by spaces. Characters friso drops (punctuation) are
 * printed as words of their own so that the scorer sees the whole text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <friso/friso.h>

static size_t u8len(unsigned char c) {
  return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* prints text[from..to) as one word per character, skipping spaces */
static void gap(const char *s, size_t from, size_t to, int *first) {
  while (from < to) {
    size_t n = u8len((unsigned char)s[from]);
    if (s[from] != ' ' && s[from] != '\t') {
      if (!*first)
        putchar(' ');
      fwrite(s + from, 1, n, stdout);
      *first = 0;
    }
    from += n;
  }
}

int main(int argc, char **argv) {
  const char *ini = argc > 1 ? argv[1] : "/etc/friso/friso.ini";
  friso_t friso = friso_new();
  friso_config_t config = friso_new_config();
  if (friso_init_from_ifile(friso, config, (fstring)ini) != 1) {
    fprintf(stderr, "friso_seg: cannot initialise friso from %s\n", ini);
    return 1;
  }
  config->add_syn = 0;
  config->en_sseg = 0;
  config->clr_stw = 0;
  config->keep_urec = 1;
  friso_task_t task = friso_new_task();
  char *line = NULL;
  size_t cap = 0;
  ssize_t got;
  while ((got = getline(&line, &cap, stdin)) >= 0) {
    while (got && (line[got - 1] == '\n' || line[got - 1] == '\r'))
      line[--got] = '\0';
    friso_set_text(task, line);
    size_t at = 0;
    int first = 1;
    while (config->next_token(friso, config, task) != NULL) {
      size_t off = (size_t)task->token->offset, len = strlen(task->token->word);
      if (off < at)
        continue; /* an extra token over text already printed */
      gap(line, at, off, &first);
      if (!first)
        putchar(' ');
      fwrite(task->token->word, 1, len, stdout);
      first = 0;
      at = off + len;
    }
    gap(line, at, (size_t)got, &first);
    putchar('\n');
  }
  free(line);
  friso_free_task(task);
  friso_free_config(config);
  friso_free(friso);
  return 0;
}
