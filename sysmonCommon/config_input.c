/* SPDX-License-Identifier: MIT */
/* Config file bytes -> libxml2 tree.
 *
 * Accepted like the reference: UTF-8 with or without BOM, UTF-16 LE/BE with
 * or without BOM (no BOM: recognised by a NUL in the first two bytes, as
 * the first character is '<' or a blank), 8-bit encodings named by the XML
 * declaration (ISO-8859-1...), and blank lines before the XML declaration.
 * Anything libxml2 cannot read (including bytes that are not UTF-8 without
 * a declaration saying otherwise) is "Failed to load or parse xml
 * configuration" with libxml2's reason and line. A DOCTYPE is refused: the
 * reference supplies its own, and it is the door to entity expansion. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include "config_data.h"
#include "config_input.h"
#include "utf8.h"

struct xml_errors {
	int count, line;
	char msg[256];
};

/* libxml2 reports every problem; keep the first, on one line. */
static void on_xml_error(void *ctx, xmlErrorPtr e)
{
	struct xml_errors *xe = ((xmlParserCtxtPtr)ctx)->_private;
	size_t n;

	if (!xe || !e || xe->count++)
		return;
	xe->line = e->line;
	snprintf(xe->msg, sizeof(xe->msg), "%s", e->message ? e->message : "?");
	for (n = 0; xe->msg[n]; n++)
		if (xe->msg[n] == '\n' || xe->msg[n] == '\r')
			xe->msg[n] = ' ';
	while (n && xe->msg[n - 1] == ' ')
		xe->msg[--n] = 0;
}

static int xml_fail(struct sm_parse *ps, int line, const char *why)
{
	return sm_fail(ps, line, -EINVAL,
		       "Failed to load or parse xml configuration: %s (%s)",
		       ps->file, why);
}

/* 0: 8-bit; 1: UTF-16LE; 2: UTF-16BE. *skip: BOM bytes. */
static int detect(const unsigned char *b, size_t len, size_t *skip)
{
	*skip = 0;
	if (len >= 2 && b[0] == 0xff && b[1] == 0xfe) {
		*skip = 2;
		return 1;
	}
	if (len >= 2 && b[0] == 0xfe && b[1] == 0xff) {
		*skip = 2;
		return 2;
	}
	if (len >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf)
		*skip = 3;
	else if (len >= 2 && b[0] && !b[1])
		return 1;
	else if (len >= 2 && !b[0] && b[1])
		return 2;
	return 0;
}

static int to_utf8(struct sm_parse *ps, const char *buf, size_t len, bool be,
		   char **out, size_t *out_len)
{
	size_t bad = 0, n;
	char *u;

	u = malloc(len / 2 * 3 + 1);
	if (!u)
		return sm_fail(ps, 0, -ENOMEM, "Out of memory");
	n = sm_utf16_to_utf8((const unsigned char *)buf, len, be, u, &bad);
	if (n == (size_t)-1) {
		free(u);
		return xml_fail(ps, 0, "invalid UTF-16: unpaired surrogate or odd length");
	}
	*out = u;
	*out_len = n;
	return 0;
}

/* Drop leading blanks (the reference does), remembering the lines. */
static size_t skip_blanks(struct sm_parse *ps, const char *s, size_t len)
{
	size_t i = 0;

	for (; i < len; i++) {
		if (s[i] == '\n' || (s[i] == '\r' && (i + 1 == len || s[i + 1] != '\n')))
			ps->line_offset++;
		else if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			break;
	}
	return i;
}

static int parse(struct sm_parse *ps, const char *s, size_t len, bool utf8,
		 xmlDoc **doc)
{
	struct xml_errors xe = { 0 };
	int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
		   XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA;
	xmlParserCtxtPtr ctx;

	if (len > INT32_MAX)
		return xml_fail(ps, 0, "file too large");
	ctx = xmlNewParserCtxt();
	if (!ctx)
		return sm_fail(ps, 0, -ENOMEM, "Out of memory");
	ctx->_private = &xe;
	ctx->sax->serror = on_xml_error;
	if (utf8)
		opts |= XML_PARSE_IGNORE_ENC;
	*doc = xmlCtxtReadMemory(ctx, s, (int)len, ps->file, utf8 ? "UTF-8" : NULL,
				 opts);
	xmlFreeParserCtxt(ctx);
	if (!*doc)
		return xml_fail(ps, xe.count ? xe.line + ps->line_offset : 0,
				xe.count ? xe.msg : "unreadable");
	if ((*doc)->intSubset || (*doc)->extSubset)
		return xml_fail(ps, 1 + ps->line_offset,
				"DOCTYPE declarations are not allowed");
	return 0;
}

int sm_xml_load(struct sm_parse *ps, const char *buf, size_t len, xmlDoc **doc)
{
	char *utf8 = NULL;
	size_t skip, start;
	int kind, ret;

	*doc = NULL;
	xmlInitParser();
	kind = detect((const unsigned char *)buf, len, &skip);
	buf += skip;
	len -= skip;
	if (kind) {
		ret = to_utf8(ps, buf, len, kind == 2, &utf8, &len);
		if (ret)
			return ret;
		buf = utf8;
	}
	start = skip_blanks(ps, buf, len);
	if (start == len)
		ret = xml_fail(ps, 0, "empty file");
	else
		ret = parse(ps, buf + start, len - start, kind != 0, doc);
	free(utf8);
	return ret;
}

int sm_node_line(const struct sm_parse *ps, const xmlNode *n)
{
	return (int)xmlGetLineNo((xmlNode *)n) + ps->line_offset;
}

int sm_node_text(struct sm_parse *ps, xmlNode *n, const char **text,
		 size_t *len)
{
	size_t total = 0;
	char *s;

	for (xmlNode *c = n->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE)
			total += strlen((const char *)c->content);
		else if (c->type != XML_COMMENT_NODE && c->type != XML_PI_NODE)
			return sm_fail(ps, sm_node_line(ps, c), -EINVAL,
				       "Unexpected <%s> inside <%s>",
				       (const char *)c->name,
				       (const char *)n->name);
	}
	s = sm_arena_alloc(&ps->cfg->arena, total + 1);
	if (!s)
		return sm_fail(ps, 0, -ENOMEM, "Out of memory");
	*text = s;
	*len = total;
	for (xmlNode *c = n->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE) {
			size_t l = strlen((const char *)c->content);

			memcpy(s, c->content, l);
			s += l;
		}
	}
	return 0;
}
