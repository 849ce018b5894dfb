/* SPDX-License-Identifier: MIT */
/* Schema tables generated from schema/sysmonschema.xml. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "config_data.h"
#include "config_parse.h"
#include "rules_cond.h"
#include "sm_schema_tables.h"
#include "sm_fields.h"

struct expected_event {
	unsigned id, version, level;
	const char *name, *rule;
	bool on_linux;
	const char *fields; /* space separated, output order */
};

/* sysmon-compat.md section 2, plus the Windows-only events of schema 4.90 */
static const struct expected_event expected[] = {
	{ 1, 5, 4, "ProcessCreate", "ProcessCreate", true,
	  "RuleName UtcTime ProcessGuid ProcessId Image FileVersion Description Product "
	  "Company OriginalFileName CommandLine CurrentDirectory User LogonGuid LogonId "
	  "TerminalSessionId IntegrityLevel Hashes ParentProcessGuid ParentProcessId "
	  "ParentImage ParentCommandLine ParentUser" },
	{ 2, 5, 4, "FileCreateTime", "FileCreateTime", false,
	  "RuleName UtcTime ProcessGuid ProcessId Image TargetFilename CreationUtcTime "
	  "PreviousCreationUtcTime User" },
	{ 3, 5, 4, "NetworkConnect", "NetworkConnect", true,
	  "RuleName UtcTime ProcessGuid ProcessId Image User Protocol Initiated SourceIsIpv6 "
	  "SourceIp SourceHostname SourcePort SourcePortName DestinationIsIpv6 DestinationIp "
	  "DestinationHostname DestinationPort DestinationPortName" },
	{ 4, 3, 4, "ServiceStateChange", NULL, true, "UtcTime State Version SchemaVersion" },
	{ 5, 3, 4, "ProcessTerminate", "ProcessTerminate", true,
	  "RuleName UtcTime ProcessGuid ProcessId Image User" },
	{ 6, 4, 4, "DriverLoad", "DriverLoad", false,
	  "RuleName UtcTime ImageLoaded Hashes Signed Signature SignatureStatus" },
	{ 9, 2, 4, "RawAccessRead", "RawAccessRead", true,
	  "RuleName UtcTime ProcessGuid ProcessId Image Device User" },
	{ 10, 3, 4, "ProcessAccess", "ProcessAccess", true,
	  "RuleName UtcTime SourceProcessGUID SourceProcessId SourceThreadId SourceImage "
	  "TargetProcessGUID TargetProcessId TargetImage GrantedAccess CallTrace SourceUser "
	  "TargetUser" },
	{ 11, 2, 4, "FileCreate", "FileCreate", true,
	  "RuleName UtcTime ProcessGuid ProcessId Image TargetFilename CreationUtcTime User" },
	{ 12, 2, 4, "RegistryAddDelete", "RegistryEvent", false,
	  "RuleName EventType UtcTime ProcessGuid ProcessId Image TargetObject User" },
	{ 13, 2, 4, "RegistryValueSet", "RegistryEvent", false,
	  "RuleName EventType UtcTime ProcessGuid ProcessId Image TargetObject Details User" },
	{ 16, 3, 4, "ConfigChange", NULL, true, "UtcTime Configuration ConfigurationFileHash" },
	{ 22, 5, 4, "DnsQuery", "DnsQuery", false,
	  "RuleName UtcTime ProcessGuid ProcessId QueryName QueryStatus QueryResults Image User" },
	{ 23, 5, 4, "FileDelete", "FileDelete", true,
	  "RuleName UtcTime ProcessGuid ProcessId User Image TargetFilename Hashes IsExecutable "
	  "Archived" },
	{ 26, 5, 4, "FileDeleteDetected", "FileDeleteDetected", false,
	  "RuleName UtcTime ProcessGuid ProcessId User Image TargetFilename Hashes IsExecutable" },
	{ 29, 5, 4, "FileExecutableDetected", "FileExecutableDetected", false,
	  "RuleName UtcTime ProcessGuid ProcessId User Image TargetFilename Hashes" },
	{ 100, 1, 4, "eBPFEvent", "eBPFEvent", true,
	  "RuleName UtcTime ProcessGuid ProcessId Image User BpfCommand BpfProgramType "
	  "BpfProgramId BpfProgramName" },
	{ 255, 3, 2, "Error", NULL, true, "UtcTime ID Description" },
};

static void test_events(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
		const struct expected_event *x = &expected[i];
		const struct sm_event_type *t = sm_schema_event(x->id);
		char fields[1024] = "";

		assert_non_null(t);
		assert_int_equal(t->id, x->id);
		assert_int_equal(t->task, x->id);
		assert_int_equal(t->version, x->version);
		assert_int_equal(t->level, x->level);
		assert_string_equal(t->name, x->name);
		if (x->rule)
			assert_string_equal(t->rule_name, x->rule);
		else
			assert_null(t->rule_name);
		assert_int_equal(t->on_linux, x->on_linux);
		for (unsigned k = 0; k < t->nfields; k++) {
			strcat(fields, k ? " " : "");
			strcat(fields, t->fields[k]);
		}
		assert_string_equal(fields, x->fields);
	}
}

static void test_all_events(void **state)
{
	size_t n;
	const struct sm_event_type *t = sm_schema_events(&n);
	unsigned seen = 0;

	(void)state;
	assert_int_equal(n, 31); /* 1-29, 100, 255 */
	for (size_t i = 0; i < n; i++) {
		assert_true(t[i].nfields <= SM_MAX_FIELDS);
		assert_ptr_equal(sm_schema_event(t[i].id), &t[i]);
		if (t[i].id >= 1 && t[i].id <= 29)
			seen++;
	}
	assert_int_equal(seen, 29);
	/* the generated names: every event's, acronyms as words */
	assert_int_equal(SM_EV_DNS_QUERY, 22);
	assert_int_equal(SM_EV_FILE_DELETE_DETECTED, 26);
	assert_int_equal(SM_EV_E_BPF_EVENT, 100);
	assert_int_equal(SM_EV_ERROR, 255);
	assert_string_equal(sm_schema_event(SM_EV_RAW_ACCESS_READ)->name,
			    "RawAccessRead");
	assert_null(sm_schema_event(0));
	assert_null(sm_schema_event(30));
	assert_non_null(sm_schema_events(NULL));
	/* only ProcessCreate and ProcessTerminate are logged without rules */
	for (size_t i = 0; i < n; i++)
		assert_int_equal(sm_schema_rule_include[i], t[i].id == 1 || t[i].id == 5);
}

static void test_rule_names(void **state)
{
	static const char *const names[] = {
		"ProcessCreate", "FileCreateTime", "NetworkConnect", "ProcessTerminate",
		"DriverLoad", "ImageLoad", "CreateRemoteThread", "RawAccessRead",
		"ProcessAccess", "FileCreate", "RegistryEvent", "FileCreateStreamHash",
		"PipeEvent", "WmiEvent", "DnsQuery", "FileDelete", "ClipboardChange",
		"ProcessTampering", "FileDeleteDetected", "FileBlockExecutable",
		"FileBlockShredding", "FileExecutableDetected", "eBPFEvent",
	};
	size_t idx[SM_SERIES_MAX];

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_true(sm_series(names[i], idx, SM_SERIES_MAX) >= 1);
	assert_int_equal(sm_series("RegistryEvent", idx, SM_SERIES_MAX), 3);
	assert_int_equal(sm_series("PipeEvent", idx, SM_SERIES_MAX), 2);
	assert_int_equal(sm_series("WmiEvent", idx, SM_SERIES_MAX), 3);
	assert_int_equal(sm_series("Error", idx, SM_SERIES_MAX), 0);
}

static void test_field_lookup(void **state)
{
	const struct sm_event_type *pc = sm_schema_event(1);

	(void)state;
	assert_int_equal(sm_schema_field(pc, "Image"), SM_PROCESSCREATE_IMAGE);
	assert_int_equal(sm_schema_field(pc, "commandline"), SM_PROCESSCREATE_COMMANDLINE);
	assert_int_equal(sm_schema_field(pc, "ParentUser"), SM_PROCESSCREATE_PARENTUSER);
	assert_int_equal(sm_schema_field(pc, "TargetFilename"), -1);
	assert_int_equal(sm_schema_field(NULL, "Image"), -1);
	assert_int_equal(sm_schema_field(pc, NULL), -1);
	assert_int_equal(SM_PROCESSCREATE_NFIELDS, 23);
	assert_int_equal(SM_PROCESSTERMINATE_NFIELDS, 6);
	assert_int_equal(SM_PROCESSTERMINATE_PROCESSGUID, 2);
	assert_int_equal(SM_EBPFEVENT_BPFPROGRAMNAME, 9);
	assert_int_equal(SM_ERROR_DESCRIPTION, 2);
}

/* The text `sysmon -s` prints: the manifest without the target= marks. */
static void test_schema_text(void **state)
{
	(void)state;
	assert_int_equal(strlen(sm_schema_xml), sm_schema_xml_len);
	assert_true(!strncmp(sm_schema_xml,
			     "<manifest schemaversion=\"4.90\" binaryversion=\"18.00\">", 52));
	assert_null(strstr(sm_schema_xml, "target="));
	assert_non_null(strstr(sm_schema_xml, "<event name=\"ProcessCreate\" value=\"1\" "
				   "level=\"Informational\" template=\"Process Create\" "
				   "rulename=\"ProcessCreate\" ruledefault=\"include\" version=\"5\">"));
	assert_non_null(strstr(sm_schema_xml, "<data name=\"BpfProgramName\""));
}

/* The manifest's <filters> and the rule engine agree on the conditions. */
static void test_filters_match_conditions(void **state)
{
	char list[512] = "";

	(void)state;
	for (unsigned c = 0; c < SM_COND_COUNT; c++) {
		strcat(list, c ? "," : "");
		strcat(list, sm_cond_name(c));
		assert_int_equal(sm_cond_lookup(sm_cond_name(c)), (int)c);
	}
	assert_string_equal(list, sm_schema_filters);
}

static void test_options(void **state)
{
	static const char *const windows_only[] = {
		"DriverName", "CheckRevocation", "ArchiveDirectory", "CaptureClipboard",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(windows_only) / sizeof(windows_only[0]); i++) {
		size_t k = 0;

		while (k < sm_schema_options_len &&
		       strcmp(sm_schema_options[k].name, windows_only[i]))
			k++;
		assert_true(k < sm_schema_options_len);
		assert_false(sm_schema_options[k].on_linux);
		assert_false(sm_schema_options[k].noconfig);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_all_events),
		cmocka_unit_test(test_rule_names),
		cmocka_unit_test(test_field_lookup),
		cmocka_unit_test(test_schema_text),
		cmocka_unit_test(test_filters_match_conditions),
		cmocka_unit_test(test_options),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
