/* SPDX-License-Identifier: MIT */
/* Config language: errors (line + reference wording), schema versions,
 * options, encodings and the dump. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "config.h"
#include "sm_fields.h"

#define HEAD "<Sysmon schemaversion=\"4.90\">"
#define PC(x) HEAD "<EventFiltering><ProcessCreate onmatch=\"include\">" x \
	"</ProcessCreate></EventFiltering></Sysmon>"

static int parse(const char *xml, size_t len, struct sm_config **cfg,
		 struct sm_config_error *err)
{
	return sm_config_parse(xml, len, "test.xml", cfg, err);
}

static struct sm_config *parse_ok(const char *xml)
{
	struct sm_config *cfg = NULL;
	struct sm_config_error err;

	if (parse(xml, strlen(xml), &cfg, &err))
		fail_msg("rejected: %d: %s\n%s", err.line, err.msg, xml);
	return cfg;
}

/* ---- errors ---- */

struct bad {
	const char *what, *xml;
	int line, errnum;
	const char *msg; /* expected prefix of err.msg */
};

static const struct bad bad_configs[] = {
	{ "malformed XML", HEAD "\n<EventFiltering>\n</Sysmon>", 3, -EINVAL,
	  "Failed to load or parse xml configuration: test.xml (Opening and ending tag mismatch" },
	{ "empty", "", 0, -EINVAL,
	  "Failed to load or parse xml configuration: test.xml (empty file)" },
	{ "not UTF-8", HEAD "<EventFiltering>\n<ProcessCreate onmatch=\"include\">"
	  "<Image>caf\xe9</Image></ProcessCreate></EventFiltering></Sysmon>", 2, -EINVAL,
	  "Failed to load or parse xml configuration: test.xml (Input is not proper UTF-8" },
	{ "DOCTYPE", "<!DOCTYPE Sysmon [<!ENTITY a \"b\">]>\n" HEAD "</Sysmon>", 1, -EINVAL,
	  "Failed to load or parse xml configuration: test.xml (DOCTYPE declarations" },
	{ "no Sysmon root", "<Config/>", 1, -EINVAL,
	  "Failed to find Sysmon tag in configuration: test.xml" },
	{ "non-numeric version", "<Sysmon schemaversion=\"abc\"/>", 1, -EINVAL,
	  "Invalid schema version number (abc) for configuration: test.xml" },
	{ "version with junk", "<Sysmon schemaversion=\"4.5abc\"/>", 1, -EINVAL,
	  "Invalid schema version number (4.5abc)" },
	{ "version below 1", "<Sysmon schemaversion=\"0.50\"/>", 1, -EINVAL,
	  "Invalid schema version number (0.50)" },
	{ "missing version", "<Sysmon/>", 1, -EINVAL, "Invalid schema version number ()" },
	{ "version newer than this binary's", "<Sysmon schemaversion=\"4.91\"/>", 1, -EINVAL,
	  "Incorrect or unsupported schema version 4.91. Current Sysmon schema version 4.90" },
	{ "version 5", "<Sysmon schemaversion=\"5\"/>", 1, -EINVAL,
	  "Incorrect or unsupported schema version 5.00" },
	{ "version rounding above 4.90", "<Sysmon schemaversion=\"4.905\"/>", 1, -EINVAL,
	  "Incorrect or unsupported schema version 4.91" },
	{ "too old version", "<Sysmon schemaversion=\"3.50\"/>", 1, -EINVAL,
	  "Incorrect or unsupported schema version 3.50" },
	{ "unknown top element", HEAD "\n<Bogus/></Sysmon>", 2, -EINVAL,
	  "Unknown element <Bogus> in <Sysmon>" },
	{ "unknown filtering element", HEAD "<EventFiltering>\n<ProcessCreat onmatch=\"include\"/>"
	  "</EventFiltering></Sysmon>", 2, -EINVAL,
	  "Unknown element <ProcessCreat> in <EventFiltering>" },
	{ "unknown element in RuleGroup", HEAD "<EventFiltering><RuleGroup groupRelation=\"or\">"
	  "\n<Foo/></RuleGroup></EventFiltering></Sysmon>", 2, -EINVAL,
	  "Unknown element <Foo> in <RuleGroup>" },
	{ "unknown field", PC("\n<Imagee>x</Imagee>"), 2, -EINVAL,
	  "Incorrect field Imagee (not a field of ProcessCreate)" },
	{ "field of another event", PC("\n<TargetFilename>x</TargetFilename>"), 2, -EINVAL,
	  "Incorrect field TargetFilename (not a field of ProcessCreate)" },
	{ "field names are case-sensitive", PC("\n<image>x</image>"), 2, -EINVAL,
	  "Incorrect field image" },
	{ "fields no RegistryEvent type has together",
	  HEAD "<EventFiltering><RegistryEvent onmatch=\"include\"><Details>a</Details>\n"
	  "<NewName>b</NewName></RegistryEvent></EventFiltering></Sysmon>", 1, -EINVAL,
	  "Incorrect field Details (cannot be combined" },
	{ "unknown condition", PC("\n<Image condition=\"bogus\">x</Image>"), 2, -EINVAL,
	  "Unknown condition: bogus\nExpected values are is, is not, is any, contains, "
	  "contains any, contains all, excludes, excludes any, excludes all, begin with, "
	  "not begin with, end with, not end with, less than, more than, image" },
	{ "bad onmatch", HEAD "<EventFiltering>\n<ProcessCreate onmatch=\"maybe\"/>"
	  "</EventFiltering></Sysmon>", 2, -EINVAL,
	  "Value \"maybe\" for attribute onmatch of ProcessCreate is not among the enumerated set" },
	{ "missing onmatch", HEAD "<EventFiltering>\n<ProcessCreate/></EventFiltering></Sysmon>",
	  2, -EINVAL, "You need to specify the onmatch attribute on ProcessCreate." },
	{ "onmatch and default", HEAD "<EventFiltering><ProcessCreate onmatch=\"include\" "
	  "default=\"exclude\"/></EventFiltering></Sysmon>", 1, -EINVAL,
	  "Can't specify onmatch and default on ProcessCreate" },
	{ "bad RuleGroup groupRelation", HEAD "<EventFiltering>\n<RuleGroup groupRelation=\"xor\">"
	  "<ProcessCreate onmatch=\"include\"/></RuleGroup></EventFiltering></Sysmon>", 2, -EINVAL,
	  "Value \"xor\" for attribute groupRelation of RuleGroup is not among the enumerated set" },
	{ "bad Rule groupRelation", PC("\n<Rule groupRelation=\"nand\"><Image>x</Image></Rule>"),
	  2, -EINVAL, "Value \"nand\" for attribute groupRelation of Rule" },
	{ "nested Rule", PC("<Rule>\n<Rule/></Rule>"), 2, -EINVAL,
	  "<Rule> cannot contain another <Rule>" },
	{ "element in a value", PC("<Image>a\n<b/></Image>"), 2, -EINVAL,
	  "Unexpected <b> inside <Image>" },
	{ "text in a container", HEAD "<EventFiltering>\n  hello\nworld</EventFiltering></Sysmon>",
	  3, -EINVAL, "Unexpected text in <EventFiltering>: 'hello'" },
	{ "unknown attribute", PC("\n<Image conditon=\"is\">x</Image>"), 2, -EINVAL,
	  "Unknown attribute conditon on <Image>" },
	{ "unknown Sysmon attribute", "<Sysmon schemaversion=\"4.90\" foo=\"1\"/>", 1, -EINVAL,
	  "Unknown attribute foo on <Sysmon>" },
	{ "rule name too long", PC("\n<Image name=\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	  "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	  "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	  "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\">x</Image>"), 2, -EINVAL,
	  "Rule name is larger than 255 characters: AAAA" },
	{ "FieldSizes size 0", HEAD "\n<FieldSizes>Image:0</FieldSizes></Sysmon>", 2, -EINVAL,
	  "Invalid FieldSizes entry 'Image:0'" },
	{ "FieldSizes negative", HEAD "<FieldSizes>Image:-1</FieldSizes></Sysmon>", 1, -EINVAL,
	  "Invalid FieldSizes entry 'Image:-1'" },
	{ "FieldSizes no size", HEAD "<FieldSizes>Image</FieldSizes></Sysmon>", 1, -EINVAL,
	  "Invalid FieldSizes entry 'Image'" },
	{ "FieldSizes bad separator", HEAD "<FieldSizes>Image:5.User:6</FieldSizes></Sysmon>",
	  1, -EINVAL, "Invalid FieldSizes entry 'Image:5.User:6'" },
	{ "FieldSizes unknown field", HEAD "<FieldSizes>Image:5,Nonfield:6</FieldSizes></Sysmon>",
	  1, -EINVAL, "Unknown field 'Nonfield' in FieldSizes" },
	{ "bad DnsLookup", HEAD "\n<DnsLookup>maybe</DnsLookup></Sysmon>", 2, -EINVAL,
	  "Incorrect value 'maybe' for node 'DnsLookup'" },
	{ "bad hash algorithm", HEAD "<HashAlgorithms>SHA256,SHA512</HashAlgorithms></Sysmon>",
	  1, -EINVAL, "Invalid hash algorithm 'SHA512' in HashAlgorithms" },
	{ "Windows-only option", HEAD "<EventFiltering/>\n<ArchiveDirectory>x</ArchiveDirectory>"
	  "</Sysmon>", 2, -EOPNOTSUPP, "Option not implemented on Linux. (<ArchiveDirectory>)" },
	{ "Windows-only flag", HEAD "\n<CaptureClipboard/></Sysmon>", 2, -EOPNOTSUPP,
	  "Option not implemented on Linux." },
	{ "other errors first", HEAD "<CheckRevocation/>\n<Bogus/></Sysmon>", 2, -EINVAL,
	  "Unknown element <Bogus>" },
	{ "command-line-only option", HEAD "<AcceptEula/></Sysmon>", 1, -EINVAL,
	  "Unknown element <AcceptEula> in <Sysmon>" },
};

static void test_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_configs) / sizeof(bad_configs[0]); i++) {
		const struct bad *b = &bad_configs[i];
		struct sm_config *cfg = (struct sm_config *)1;
		struct sm_config_error err;
		int ret = parse(b->xml, strlen(b->xml), &cfg, &err);

		if (ret != b->errnum || err.line != b->line ||
		    strncmp(err.msg, b->msg, strlen(b->msg)))
			fail_msg("%s: got %d line %d '%s', expected %d line %d '%s'",
				 b->what, ret, err.line, err.msg, b->errnum, b->line,
				 b->msg);
		assert_null(cfg);
	}
}

static void test_bad_arguments(void **state)
{
	struct sm_config *cfg = NULL;
	struct sm_config_error err;

	(void)state;
	assert_int_equal(sm_config_parse(NULL, 5, "x", &cfg, &err), -EINVAL);
	assert_int_equal(sm_config_parse("<x/>", 4, "x", NULL, &err), -EINVAL);
	assert_int_equal(sm_config_parse("<x/>", 4, NULL, &cfg, NULL), -EINVAL);
	assert_null(cfg);
	assert_int_equal(sm_config_default(NULL), -EINVAL);
}

/* ---- versions and options ---- */

struct version_case {
	const char *text;
	const char *dump_header;
};

static const struct version_case versions[] = {
	{ "4.90", "Rule configuration (version 4.90):\n" },
	{ "4.5", "Rule configuration (version 4.50):\n" },
	{ "4.9", "Rule configuration (version 4.90):\n" },
	{ " 4.30 ", "Rule configuration (version 4.30):\n" },
	{ "4.00", "Rule configuration (version 4.00):\n" },
};

static void test_versions(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(versions) / sizeof(versions[0]); i++) {
		char xml[256];
		struct sm_config *cfg;
		char *dump;

		snprintf(xml, sizeof(xml), "<Sysmon schemaversion=\"%s\"><EventFiltering>"
			 "<ProcessCreate onmatch=\"exclude\"/></EventFiltering></Sysmon>",
			 versions[i].text);
		cfg = parse_ok(xml);
		assert_string_equal(sm_config_schema_version(cfg), versions[i].text);
		dump = sm_config_dump(cfg);
		assert_non_null(dump);
		assert_true(!strncmp(dump, versions[i].dump_header,
				     strlen(versions[i].dump_header)));
		free(dump);
		sm_config_free(cfg);
	}
}

struct hash_case {
	const char *text;
	unsigned bits;
};

static const struct hash_case hash_cases[] = {
	{ NULL, SM_HASH_SHA256 },
	{ "SHA256", SM_HASH_SHA256 },
	{ "md5, sha1", SM_HASH_MD5 | SM_HASH_SHA1 },
	{ "SHA1,SHA256,MD5,IMPHASH", SM_HASH_SHA1 | SM_HASH_SHA256 | SM_HASH_MD5 | SM_HASH_IMPHASH },
	{ "*", SM_HASH_SHA1 | SM_HASH_SHA256 | SM_HASH_MD5 | SM_HASH_IMPHASH },
	{ "", SM_HASH_SHA256 },
};

static void test_hash_algorithms(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(hash_cases) / sizeof(hash_cases[0]); i++) {
		char xml[256];
		struct sm_config *cfg;

		if (hash_cases[i].text)
			snprintf(xml, sizeof(xml), HEAD "<HashAlgorithms>%s</HashAlgorithms>"
				 "</Sysmon>", hash_cases[i].text);
		else
			snprintf(xml, sizeof(xml), HEAD "</Sysmon>");
		cfg = parse_ok(xml);
		assert_int_equal(sm_config_hash_algorithms(cfg), hash_cases[i].bits);
		sm_config_free(cfg);
	}
	assert_int_equal(sm_config_hash_algorithms(NULL), SM_HASH_SHA256);
}

static void test_field_sizes(void **state)
{
	struct sm_config *cfg = parse_ok(HEAD "<FieldSizes> CommandLine:100 , Image : 20"
					 "</FieldSizes></Sysmon>");

	(void)state;
	assert_int_equal(sm_config_field_size(cfg, 1, SM_PROCESSCREATE_COMMANDLINE), 100);
	assert_int_equal(sm_config_field_size(cfg, 1, SM_PROCESSCREATE_IMAGE), 20);
	assert_int_equal(sm_config_field_size(cfg, 1, SM_PROCESSCREATE_PARENTCOMMANDLINE), 0);
	assert_int_equal(sm_config_field_size(cfg, 5, SM_PROCESSTERMINATE_IMAGE), 20);
	assert_int_equal(sm_config_field_size(cfg, 11, SM_FILECREATE_IMAGE), 20);
	assert_int_equal(sm_config_field_size(cfg, 1, SM_MAX_FIELDS), 0);
	assert_int_equal(sm_config_field_size(cfg, 999, 0), 0);
	sm_config_free(cfg);
	cfg = parse_ok(HEAD "</Sysmon>");
	assert_int_equal(sm_config_field_size(cfg, 1, SM_PROCESSCREATE_IMAGE), 0);
	sm_config_free(cfg);
	assert_int_equal(sm_config_field_size(NULL, 1, 0), 0);
}

static void test_dns_lookup(void **state)
{
	static const struct {
		const char *xml;
		bool on;
	} cases[] = {
		{ HEAD "</Sysmon>", false },
		{ HEAD "<DnsLookup>True</DnsLookup></Sysmon>", true },
		{ HEAD "<DnsLookup> 1 </DnsLookup></Sysmon>", true },
		{ HEAD "<DnsLookup>false</DnsLookup></Sysmon>", false },
		{ HEAD "<DnsLookup/></Sysmon>", false },
		{ HEAD "<DnsLookup>true</DnsLookup><DnsLookup>no</DnsLookup></Sysmon>", false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sm_config *cfg = parse_ok(cases[i].xml);

		assert_int_equal(sm_config_dns_lookup(cfg), cases[i].on);
		sm_config_free(cfg);
	}
	assert_false(sm_config_dns_lookup(NULL));
}

static void test_accepted_options(void **state)
{
	static const char *const ok[] = {
		HEAD "<DnsLookup>False</DnsLookup><CopyOnDeletePE/></Sysmon>",
		HEAD "<CopyOnDeleteSIDs>S-1</CopyOnDeleteSIDs>"
		"<CopyOnDeleteExtensions>.exe</CopyOnDeleteExtensions></Sysmon>",
		HEAD "<CheckRevocation>false</CheckRevocation>"
		"<CaptureClipboard>disabled</CaptureClipboard></Sysmon>",
		HEAD "<!-- c --><?pi x?><EventFiltering><!-- c --></EventFiltering></Sysmon>",
		HEAD "<EventFiltering/><EventFiltering/></Sysmon>",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		sm_config_free(parse_ok(ok[i]));
}

/* ---- encodings ---- */

static size_t to_utf16(const char *utf8_ascii_or_latin, unsigned char *out,
		       bool be, bool bom)
{
	size_t n = 0;

	if (bom) {
		out[n++] = be ? 0xfe : 0xff;
		out[n++] = be ? 0xff : 0xfe;
	}
	/* input here is ASCII except \xc3\x84 (A umlaut), written as U+00C4 */
	for (const unsigned char *s = (const unsigned char *)utf8_ascii_or_latin; *s; s++) {
		unsigned cp = *s;

		if (cp == 0xc3) {
			cp = 0xc0 | (s[1] & 0x3f);
			s++;
		}
		out[n++] = (unsigned char)(be ? 0 : cp);
		out[n++] = (unsigned char)(be ? cp : 0);
	}
	return n;
}

static void expect_line(const char *what, const unsigned char *xml, size_t len,
			 const char *dump_line)
{
	struct sm_config *cfg = NULL;
	struct sm_config_error err;
	char *dump;

	if (sm_config_parse((const char *)xml, len, "enc.xml", &cfg, &err))
		fail_msg("%s: %d: %s", what, err.line, err.msg);
	dump = sm_config_dump(cfg);
	if (!dump || !strstr(dump, dump_line))
		fail_msg("%s: dump '%s' lacks '%s'", what, dump ? dump : "", dump_line);
	free(dump);
	sm_config_free(cfg);
}

static void test_encodings(void **state)
{
	static const char doc[] = "\r\n<Sysmon schemaversion=\"4.30\"><EventFiltering>"
		"<ProcessCreate onmatch=\"include\"><Image>\xc3\x84</Image></ProcessCreate>"
		"</EventFiltering></Sysmon>";
	static const char latin1[] = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"
		"<Sysmon schemaversion=\"4.30\"><EventFiltering><ProcessCreate onmatch="
		"\"include\"><Image>\xc4</Image></ProcessCreate></EventFiltering></Sysmon>";
	static const char bom8[] = "\xef\xbb\xbf  \n<?xml version=\"1.0\"?>"
		"<Sysmon schemaversion=\"4.30\"><EventFiltering><ProcessCreate onmatch="
		"\"include\"><Image>\xc3\x84</Image></ProcessCreate></EventFiltering></Sysmon>";
	static const char line[] = "\tImage                          filter: is           "
		"value: '\xc3\x84'\n";
	unsigned char buf[1024];
	size_t n;

	(void)state;
	for (int be = 0; be < 2; be++) {
		for (int bom = 0; bom < 2; bom++) {
			n = to_utf16(doc, buf, be, bom);
			expect_line(be ? "UTF-16BE" : "UTF-16LE", buf, n, line);
		}
	}
	expect_line("ISO-8859-1", (const unsigned char *)latin1, strlen(latin1), line);
	expect_line("UTF-8 BOM, blank, declaration", (const unsigned char *)bom8,
		     strlen(bom8), line);
}

static void test_bad_utf16(void **state)
{
	unsigned char buf[1024];
	struct sm_config *cfg = NULL;
	struct sm_config_error err;
	size_t n = to_utf16("<Sysmon schemaversion=\"4.90\"/>", buf, false, true);

	(void)state;
	buf[n++] = 0x00; /* lone high surrogate */
	buf[n++] = 0xd8;
	assert_int_equal(sm_config_parse((const char *)buf, n, "u.xml", &cfg, &err), -EINVAL);
	assert_string_equal(err.msg, "Failed to load or parse xml configuration: u.xml "
			    "(invalid UTF-16: unpaired surrogate or odd length)");
	n = to_utf16("<Sysmon schemaversion=\"4.90\"/>", buf, false, true);
	assert_int_equal(sm_config_parse((const char *)buf, n - 1, "u.xml", &cfg, &err),
			 -EINVAL);
	assert_null(cfg);
}

/* Leading blank lines are skipped but still counted in line numbers. */
static void test_error_line_after_blank_lines(void **state)
{
	static const char xml[] = "\n\n\n" HEAD "<EventFiltering>\n<Foo/>"
				  "</EventFiltering></Sysmon>";
	struct sm_config *cfg = NULL;
	struct sm_config_error err;

	(void)state;
	assert_int_equal(parse(xml, strlen(xml), &cfg, &err), -EINVAL);
	assert_int_equal(err.line, 5);
}

/* ---- dump ---- */

static void expect_dump(const char *xml, const char *expected)
{
	struct sm_config *cfg = parse_ok(xml);
	char *dump = sm_config_dump(cfg);

	assert_non_null(dump);
	assert_string_equal(dump, expected);
	free(dump);
	sm_config_free(cfg);
}

static void test_dump(void **state)
{
	(void)state;
	/* Schema order, not document order; the second of two consecutive
	 * elements of the same event and onmatch is not printed. */
	expect_dump(HEAD "<EventFiltering>"
		    "<FileCreate onmatch=\"include\"><TargetFilename>/a</TargetFilename></FileCreate>"
		    "<ProcessCreate onmatch=\"include\"><Image>/x</Image></ProcessCreate>"
		    "<ProcessCreate onmatch=\"include\"><Image>/hidden</Image></ProcessCreate>"
		    "<ProcessCreate onmatch=\"exclude\"><Image>/y</Image></ProcessCreate>"
		    "</EventFiltering></Sysmon>",
		    "Rule configuration (version 4.90):\n"
		    " - ProcessCreate                      onmatch: include   combine rules using 'And'\n"
		    "\tImage                          filter: is           value: '/x'\n"
		    " - ProcessCreate                      onmatch: exclude   combine rules using 'And'\n"
		    "\tImage                          filter: is           value: '/y'\n"
		    " - FileCreate                         onmatch: include   combine rules using 'And'\n"
		    "\tTargetFilename                 filter: is           value: '/a'\n");
	/* Compound rules: named (cut to 32 bytes) or numbered; RegistryEvent
	 * numbering counts the <Rule>s of the failed attempt with type 12. */
	expect_dump(HEAD "<EventFiltering><RuleGroup groupRelation=\"or\">"
		    "<ProcessCreate onmatch=\"exclude\"><Rule name=\"0123456789abcdefghijklmnopqrstuvwxyz\" "
		    "groupRelation=\"and\"><Image condition=\"end with\">a</Image>"
		    "<User>root</User></Rule><Rule><Image>b</Image></Rule></ProcessCreate>"
		    "<RegistryEvent onmatch=\"include\"><Rule groupRelation=\"and\">"
		    "<TargetObject condition=\"contains\">R</TargetObject><Details>D</Details>"
		    "</Rule></RegistryEvent></RuleGroup></EventFiltering></Sysmon>",
		    "Rule configuration (version 4.90):\n"
		    " - ProcessCreate                      onmatch: exclude   combine rules using 'Or'\n"
		    "\tCompound Rule 0123456789abcdefghijklmnopqrstuv   combine using And\n"
		    "\t    Image                          filter: end with     value: 'a'\n"
		    "\t    User                           filter: is           value: 'root'\n"
		    "\tCompound Rule 0002   combine using Or\n"
		    "\t    Image                          filter: is           value: 'b'\n"
		    " - RegistryEvent                      onmatch: include   combine rules using 'Or'\n"
		    "\tCompound Rule 0004   combine using And\n"
		    "\t    TargetObject                   filter: contains     value: 'R'\n"
		    "\t    Details                        filter: is           value: 'D'\n");
	expect_dump(HEAD "<EventFiltering/></Sysmon>", "No rules installed\n");
	expect_dump(PC("<CommandLine condition=\"contains\">&amp;&lt;&gt;&quot;&apos; "
		       "<![CDATA[<x>]]> é</CommandLine>"),
		    "Rule configuration (version 4.90):\n"
		    " - ProcessCreate                      onmatch: include   combine rules using 'And'\n"
		    "\tCommandLine                    filter: contains     value: '&<>\"' <x> é'\n");
}

static void test_dump_default(void **state)
{
	struct sm_config *cfg = NULL;
	char *dump;

	(void)state;
	assert_int_equal(sm_config_default(&cfg), 0);
	assert_string_equal(sm_config_schema_version(cfg), "4.90");
	dump = sm_config_dump(cfg);
	assert_string_equal(dump, "No rules installed\n");
	free(dump);
	sm_config_free(cfg);
	sm_config_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_hash_algorithms),
		cmocka_unit_test(test_field_sizes),
		cmocka_unit_test(test_dns_lookup),
		cmocka_unit_test(test_accepted_options),
		cmocka_unit_test(test_encodings),
		cmocka_unit_test(test_bad_utf16),
		cmocka_unit_test(test_error_line_after_blank_lines),
		cmocka_unit_test(test_dump),
		cmocka_unit_test(test_dump_default),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
