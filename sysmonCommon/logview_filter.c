/* SPDX-License-Identifier: MIT */
/* sysmonLogView's switches: which events (-e, -r, -t, -f) and which of
 * their fields (-E) are shown. */
#include "logview.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

/* A decimal number s[0..len) up to max. */
static bool number(const char *s, size_t len, uint64_t max, uint64_t *v)
{
	*v = 0;
	if (len == 0 || len > 20)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (d > 9 || *v > (max - d) / 10)
			return false;
		*v = *v * 10 + d;
	}
	return true;
}

/* The next comma-separated item of *s (advanced past it); false at the
 * end. */
static bool next_item(const char **s, const char **item, size_t *len)
{
	const char *c;

	if (!**s)
		return false;
	c = strchr(*s, ',');
	*item = *s;
	*len = c ? (size_t)(c - *s) : strlen(*s);
	*s = c ? c + 1 : *s + *len;
	return true;
}

static int add_ids(struct sm_lv_filter *f, const char *arg, const char **why)
{
	const char *it;
	size_t len;
	uint64_t v;

	*why = "-e wants event IDs separated by commas, e.g. -e 1,3";
	if (!*arg)
		return -EINVAL;
	while (next_item(&arg, &it, &len)) {
		if (!number(it, len, UINT32_MAX - 1, &v))
			return -EINVAL;
		if (f->nids == SM_LV_MAX_IDS) {
			*why = "too many event IDs";
			return -EINVAL;
		}
		f->ids[f->nids++] = (uint32_t)v;
	}
	return 0;
}

/* "min,max", "min,", ",max" or "min": one side of a range each. */
static int split_range(const char *arg, const char **a, size_t *alen,
		       const char **b, size_t *blen)
{
	const char *c = strchr(arg, ',');

	*a = arg;
	*alen = c ? (size_t)(c - arg) : strlen(arg);
	*b = c ? c + 1 : arg + *alen;
	*blen = strlen(*b);
	return (*alen || *blen) && (!c || !strchr(c + 1, ',')) ? 0 : -EINVAL;
}

static int add_records(struct sm_lv_filter *f, const char *arg,
		       const char **why)
{
	const char *a, *b;
	size_t alen, blen;

	*why = "-r wants min,max EventRecordIDs (either may be left out), "
	       "e.g. -r 25,30 or -r 15,";
	if (split_range(arg, &a, &alen, &b, &blen) ||
	    (alen && !number(a, alen, UINT64_MAX, &f->rec_min)) ||
	    (blen && !number(b, blen, UINT64_MAX, &f->rec_max)))
		return -EINVAL;
	f->has_rec_min |= alen > 0;
	f->has_rec_max |= blen > 0;
	return 0;
}

static int add_times(struct sm_lv_filter *f, const char *arg, const char **why)
{
	const char *a, *b;
	size_t alen, blen;

	*why = "-t wants start,end times in UTC as YYYY-MM-DD HH:MM[:SS[.nnn]] "
	       "(either may be left out), e.g. -t \"2021-01-01 09:00,2021-01-02 "
	       "09:00\"";
	if (split_range(arg, &a, &alen, &b, &blen) ||
	    (alen && sm_lv_parse_time(a, alen, &f->time_min)) ||
	    (blen && sm_lv_parse_time(b, blen, &f->time_max)))
		return -EINVAL;
	f->has_time_min |= alen > 0;
	f->has_time_max |= blen > 0;
	return 0;
}

/* -f Field=Value[,Value...] and -E [ID=]Field[,Field...]. */
static int add_list(struct sm_lv_filter *f, char opt, const char *arg,
		    const char **why)
{
	const char *eq = strchr(arg, '=');
	struct sm_lv_list l = { SM_LV_ALL_EVENTS, arg, 0, arg };
	uint64_t id;

	*why = opt == 'f' ? "-f wants Field=Value (or Field=Value,Value), "
			    "e.g. -f Image=/bin/touch"
			  : "-E wants [EventID=]Field,Field, e.g. -E "
			    "1=Image,CommandLine or -E Image,SourceIp";
	if (opt == 'f' && (!eq || eq == arg || !eq[1]))
		return -EINVAL;
	if (opt == 'E' && eq &&
	    !number(arg, (size_t)(eq - arg), UINT32_MAX - 1, &id))
		return -EINVAL;
	if (eq) {
		l.name_len = (size_t)(eq - arg);
		l.items = eq + 1;
		l.id = opt == 'E' ? (uint32_t)id : l.id;
	}
	if (opt == 'E' && !*l.items)
		return -EINVAL;
	if ((opt == 'f' ? f->nvalues : f->nshow) == SM_LV_MAX_ARGS) {
		*why = "too many -f or -E switches";
		return -EINVAL;
	}
	if (opt == 'f')
		f->values[f->nvalues++] = l;
	else
		f->show[f->nshow++] = l;
	return 0;
}

int sm_lv_filter_add(struct sm_lv_filter *f, char opt, const char *arg,
		     const char **why)
{
	switch (opt) {
	case 'e':
		return add_ids(f, arg, why);
	case 'r':
		return add_records(f, arg, why);
	case 't':
		return add_times(f, arg, why);
	case 'f':
	case 'E':
		return add_list(f, opt, arg, why);
	default:
		*why = "an unknown switch";
		return -EINVAL;
	}
}

/* Is s[0..len) one of the comma-separated items (exactly, or ignoring
 * case)? */
static bool in_items(const char *items, const char *s, size_t len, bool icase)
{
	const char *it;
	size_t il;

	while (next_item(&items, &it, &il))
		if (il == len &&
		    (icase ? !strncasecmp(it, s, len) : !memcmp(it, s, len)))
			return true;
	return false;
}

/* -f: each field an -f names that the event has must hold one of the
 * values given for it (in any -f of that field). */
static bool values_match(const struct sm_lv_filter *f,
			 const struct sm_lv_event *ev)
{
	for (unsigned i = 0; i < ev->nfields; i++) {
		bool named = false, hit = false;

		for (unsigned k = 0; k < f->nvalues && !hit; k++) {
			const struct sm_lv_list *l = &f->values[k];

			if (l->name_len != ev->name[i].len ||
			    strncasecmp(l->name, ev->name[i].p, l->name_len))
				continue;
			named = true;
			hit = in_items(l->items, ev->value[i].p,
				       ev->value[i].len, false);
		}
		if (named && !hit)
			return false;
	}
	return true;
}

bool sm_lv_selected(const struct sm_lv_filter *f, const struct sm_lv_event *ev)
{
	bool id_ok = f->nids == 0;

	for (unsigned i = 0; i < f->nids && !id_ok; i++)
		id_ok = f->ids[i] == ev->id;
	if (!id_ok || (f->has_rec_min && ev->record_id < f->rec_min) ||
	    (f->has_rec_max && ev->record_id > f->rec_max))
		return false;
	if ((f->has_time_min || f->has_time_max) && !ev->has_time)
		return false;
	if ((f->has_time_min && ev->time_ms < f->time_min) ||
	    (f->has_time_max && ev->time_ms > f->time_max))
		return false;
	return values_match(f, ev);
}

/* -E: the lists for this event when there are any, else those for every
 * event, else every field. */
bool sm_lv_shown(const struct sm_lv_filter *f, const struct sm_lv_event *ev,
		 unsigned i)
{
	bool any[2] = { false, false }, in[2] = { false, false };

	for (unsigned k = 0; k < f->nshow; k++) {
		const struct sm_lv_list *l = &f->show[k];
		int which = l->id == SM_LV_ALL_EVENTS ? 1 : 0;

		if (which == 0 && l->id != ev->id)
			continue;
		any[which] = true;
		in[which] = in[which] || in_items(l->items, ev->name[i].p,
						  ev->name[i].len, true);
	}
	return any[0] ? in[0] : any[1] ? in[1] : true;
}
