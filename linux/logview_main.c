/* SPDX-License-Identifier: MIT */
/* sysmonLogView: sysmon's events from syslog text (or JSON lines) on
 * standard input as readable text (or JSON lines) on standard output.
 * The parsing, selection and formatting are in sysmonCommon/logview_X.c;
 * this is the command line, the reading and the writing. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "logview.h"

#define LINE_MAX_BYTES (1u << 20) /* longer lines are skipped */
#define READ_CHUNK (64u << 10)

struct opts {
	struct sm_lv_filter f;
	bool json_in, json_out, blank;
};

struct counts {
	unsigned long line, malformed, first_line;
	const char *first_why;
};

static volatile sig_atomic_t stop_signal;

static void usage(FILE *out)
{
	fputs("sysmonLogView: sysmon events from syslog as readable text\n"
	      "Usage: sysmonLogView [switches] < syslog text\n"
	      "  e.g. tail -f /var/log/syslog | sysmonLogView -e 1,3\n"
	      "  -e ID[,ID...]       only these event IDs (repeatable)\n"
	      "  -r MIN,MAX          only EventRecordIDs from MIN to MAX "
	      "(either may be left out: 15, or ,15)\n"
	      "  -t \"START,END\"      only events from START to END (UTC, "
	      "TimeCreated), as\n"
	      "                      YYYY-MM-DD HH:MM[:SS[.nnn]]; either may "
	      "be left out\n"
	      "  -f Field=Value[,Value...]  events that have Field only when "
	      "it is one of\n"
	      "                      the values (exact, case-sensitive; "
	      "repeatable)\n"
	      "  -E [ID=]Field[,Field...]   show only these fields (of event "
	      "ID, or of every\n"
	      "                      event without ID=; repeatable)\n"
	      "  -X                  a blank line between events\n"
	      "  -j                  the input is JSON lines (sysmon's JSON "
	      "file)\n"
	      "  -o text|json        output: readable blocks (default) or one "
	      "JSON object per line\n"
	      "  -h, -?              this help\n"
	      "Lines that are not sysmon events are skipped; malformed events "
	      "are counted on\nstandard error at the end. See "
	      "sysmonLogView(1).\n",
	      out);
}

static void bad_usage(const char *what)
{
	fprintf(stderr, "sysmonLogView: %s\n", what);
	fprintf(stderr, "Run 'sysmonLogView -h' for the switches.\n");
	exit(1);
}

static void parse_args(int argc, char **argv, struct opts *o)
{
	const char *why;
	int c;

	opterr = 0;
	while ((c = getopt(argc, argv, "he:r:t:f:E:Xjo:")) != -1) {
		if (c == 'h' || (c == '?' && optopt == '?')) {
			usage(stdout);
			exit(0);
		} else if (c == '?') {
			char m[64];

			snprintf(m, sizeof(m),
				 optopt && strchr("ertfEo", optopt)
					 ? "-%c is missing its argument"
					 : "unknown switch -%c",
				 optopt);
			bad_usage(m);
		} else if (c == 'X') {
			o->blank = true;
		} else if (c == 'j') {
			o->json_in = true;
		} else if (c == 'o') {
			if (strcmp(optarg, "json") && strcmp(optarg, "text"))
				bad_usage("-o wants text or json");
			o->json_out = !strcmp(optarg, "json");
		} else if (sm_lv_filter_add(&o->f, (char)c, optarg, &why)) {
			bad_usage(why);
		}
	}
	if (optind < argc)
		bad_usage("no file arguments: events are read from standard "
			  "input");
}

static void on_signal(int sig)
{
	stop_signal = sig;
}

static void catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: read() returns */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

struct input {
	char *buf;
	size_t start, len, cap;
	bool skipping; /* the rest of a line over LINE_MAX_BYTES */
	bool eof;
};

/* Reads more (having flushed what was printed: a viewer in a pipe shows
 * each event as it comes). 1: got some; 0: end of input or a signal;
 * -1: a read error, reported. */
static int fill(struct input *in)
{
	ssize_t n;

	if (in->start) {
		memmove(in->buf, in->buf + in->start, in->len - in->start);
		in->len -= in->start;
		in->start = 0;
	}
	if (fflush(stdout))
		return -1;
	for (;;) {
		if (stop_signal)
			return 0;
		n = read(STDIN_FILENO, in->buf + in->len, in->cap - in->len);
		if (n > 0) {
			in->len += (size_t)n;
			return 1;
		}
		if (n == 0)
			return 0;
		if (errno != EINTR) {
			fprintf(stderr,
				"sysmonLogView: cannot read standard "
				"input: %s\n",
				strerror(errno));
			return -1;
		}
	}
}

/* The next line (without its newline) in *line and *len; *cut when it was
 * over LINE_MAX_BYTES (the first LINE_MAX_BYTES are given). 1, 0 at the
 * end, -1 on an error. */
static int next_line(struct input *in, const char **line, size_t *len,
		     bool *cut)
{
	for (;;) {
		char *s = in->buf + in->start;
		size_t have = in->len - in->start;
		char *nl = memchr(s, '\n', have);
		int r;

		if (nl && in->skipping) {
			in->skipping = false;
			in->start += (size_t)(nl - s) + 1;
			continue;
		}
		*line = s;
		*cut = false;
		if (nl) {
			*len = (size_t)(nl - s);
			in->start += *len + 1;
			return 1;
		}
		if (in->skipping || have >= LINE_MAX_BYTES) {
			*cut = !in->skipping;
			*len = have < LINE_MAX_BYTES ? have : LINE_MAX_BYTES;
			in->skipping = true;
			in->start = in->len;
			if (*cut)
				return 1;
		}
		if (in->eof) {
			if (!have || in->skipping)
				return 0;
			*len = have;
			in->start = in->len;
			return 1;
		}
		r = fill(in);
		if (r < 0)
			return -1;
		in->eof = r == 0;
	}
}

struct bufs {
	char *dec, *out;
	size_t out_cap;
};

static void malformed(struct counts *n, const char *why)
{
	if (!n->malformed++) {
		n->first_line = n->line;
		n->first_why = why;
	}
}

/* One input line: parsed, selected, printed. -1 when stdout fails. */
static int handle(const struct opts *o, struct bufs *b, struct counts *n,
		  const char *line, size_t len, bool cut)
{
	struct sm_lv_event ev;
	const char *why = NULL;
	enum sm_lv_kind k;
	size_t out;

	n->line++;
	k = o->json_in ? sm_lv_parse_json(line, len, b->dec, LINE_MAX_BYTES,
					  &ev, &why)
		       : sm_lv_parse_syslog(line, len, b->dec, LINE_MAX_BYTES,
					    &ev, &why);
	if (k != SM_LV_OTHER && cut)
		k = SM_LV_MALFORMED, why = "a line over 1 MiB";
	if (k == SM_LV_MALFORMED)
		malformed(n, why);
	if (k != SM_LV_EVENT || !sm_lv_selected(&o->f, &ev))
		return 0;
	out = o->json_out ? sm_lv_format_json(b->out, b->out_cap, &o->f, &ev,
					      o->blank)
			  : sm_lv_format_text(b->out, b->out_cap, &o->f, &ev,
					      o->blank);
	if (!out) { /* cannot happen: out_cap is the bound of logview.h */
		malformed(n, "an event too large to print");
		return 0;
	}
	return fwrite(b->out, 1, out, stdout) == out ? 0 : -1;
}

static void report(const struct counts *n)
{
	if (!n->malformed)
		return;
	fprintf(stderr,
		"sysmonLogView: %lu malformed sysmon event line%s skipped "
		"(the first: input line %lu, %s)\n",
		n->malformed, n->malformed == 1 ? "" : "s", n->first_line,
		n->first_why);
}

int main(int argc, char **argv)
{
	static struct opts o;
	struct input in = { .cap = LINE_MAX_BYTES + READ_CHUNK };
	struct bufs b = { .out_cap = SM_LV_OUT_MAX(LINE_MAX_BYTES) };
	struct counts n = { 0 };
	const char *line;
	size_t len;
	bool cut;
	int r, err = 0;

	parse_args(argc, argv, &o);
	in.buf = malloc(in.cap);
	b.dec = malloc(LINE_MAX_BYTES);
	b.out = malloc(b.out_cap);
	if (!in.buf || !b.dec || !b.out) {
		fprintf(stderr, "sysmonLogView: out of memory\n");
		return 1;
	}
	catch_signals();
	while ((r = next_line(&in, &line, &len, &cut)) > 0 && !err)
		err = handle(&o, &b, &n, line, len, cut);
	if (fflush(stdout) || err) {
		fprintf(stderr,
			"sysmonLogView: cannot write standard output: "
			"%s\n",
			strerror(errno));
		err = 1;
	}
	report(&n);
	free(in.buf);
	free(b.dec);
	free(b.out);
	if (stop_signal) {
		signal(stop_signal, SIG_DFL);
		raise(stop_signal);
	}
	return err || r < 0 ? 1 : 0;
}
