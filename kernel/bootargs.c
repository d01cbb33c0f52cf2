/* SPDX-License-Identifier: MIT */
#include "bootargs.h"

#include <faultline/errno.h>
#include <faultline/trace.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define BOOTARG_WORD_MAX 64

/* One accepted value of a key, and what it sets. */
struct bootarg_value {
	const char *text;
	unsigned value;
};

struct bootarg_key {
	const char *key;
	const struct bootarg_value *values;	/* NULL-terminated; NULL: a name or number */
	size_t offset;				/* of the unsigned/enum or name field */
	unsigned max;				/* a number 0..max (values NULL); 0: a name */
	int (*parse)(const char *value, unsigned *field);	/* or this parser */
	const char *expected;			/* what parse accepts, for the error */
	bool path;				/* a name that may hold '/' */
};

static const struct bootarg_value sv_values[] = {
	{ "39", 39 }, { "48", 48 }, { "57", 57 }, { "auto", 0 }, { NULL, 0 },
};
static const struct bootarg_value timer_values[] = {
	{ "auto", BOOT_TIMER_AUTO }, { "sstc", BOOT_TIMER_SSTC }, { "sbi", BOOT_TIMER_SBI },
	{ NULL, 0 },
};
static const struct bootarg_value test_values[] = {
	{ "none", BOOT_TEST_NONE }, { "kernel-fault", BOOT_TEST_KERNEL_FAULT },
	{ "smp-boot-entry", BOOT_TEST_SMP_BOOT_ENTRY },
	{ "kernel-stack-overflow", BOOT_TEST_KERNEL_STACK_OVERFLOW },
	{ "kill-pager", BOOT_TEST_KILL_PAGER }, { "kill-blk", BOOT_TEST_KILL_BLK },
	{ "kill-blk-for-good", BOOT_TEST_KILL_BLK_FOR_GOOD }, { NULL, 0 },
};
static const struct bootarg_value trace_out_values[] = {
	{ "auto", BOOT_TRACE_AUTO }, { "semihost", BOOT_TRACE_SEMIHOST },
	{ "console", BOOT_TRACE_CONSOLE }, { NULL, 0 },
};

_Static_assert(sizeof(enum boot_timer) == sizeof(unsigned), "enum fields are unsigned-sized");

static const struct bootarg_key bootarg_keys[] = {
	{ "sv", sv_values, offsetof(struct boot_args, sv), 0, NULL, NULL, false },
	{ "timer", timer_values, offsetof(struct boot_args, timer), 0, NULL, NULL, false },
	{ "test", test_values, offsetof(struct boot_args, test), 0, NULL, NULL, false },
	{ "init", NULL, offsetof(struct boot_args, init), 0, NULL, NULL, false },
	{ "pager", NULL, offsetof(struct boot_args, pager), 0, NULL, NULL, false },
	{ "run", NULL, offsetof(struct boot_args, run), 0, NULL, NULL, false },
	{ "asid_bits", NULL, offsetof(struct boot_args, asid_bits), 16, NULL, NULL, false },
	{ "frames", NULL, offsetof(struct boot_args, frames), 1u << 30, NULL, NULL, false },
	{ "trace", NULL, offsetof(struct boot_args, trace), 0, trace_mask_parse,
	  "a comma-separated list of faults, vm, ipc (or all, none)", false },
	{ "trace_out", trace_out_values, offsetof(struct boot_args, trace_out), 0, NULL, NULL, false },
	{ "trace_file", NULL, offsetof(struct boot_args, trace_file), 0, NULL, NULL, true },
};

/* bootarg_number: store decimal @value (0..@max) in the unsigned at @field. */
static int bootarg_number(const char *word, const char *value, unsigned max, unsigned *field,
			  char *why, size_t why_len)
{
	unsigned long v = 0;
	const char *p = value;

	while (*p >= '0' && *p <= '9' && v <= max)
		v = v * 10 + (unsigned long)(*p++ - '0');
	if (p == value || *p || v > max) {
		snprintf(why, why_len, "bad value in '%s': expected a number from 0 to %u", word,
			 max);
		return -ERR_INVAL;
	}
	*field = (unsigned)v;
	return 0;
}

/* bootarg_name: store @value in the name field at @field (with @path, '/'
 * allowed too); 0 or -ERR_INVAL. */
static int bootarg_name(const char *word, const char *value, bool path, char *field, char *why,
			size_t why_len)
{
	size_t n = strlen(value);

	for (size_t i = 0; i < n; i++) {
		char c = value[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.' || c == '+' || c == ':' || (path && c == '/')))
			n = 0;
	}
	if (n == 0 || n >= BOOTARG_NAME_MAX) {
		snprintf(why, why_len,
			 "bad value in '%s': expected a name of 1 to %d letters, digits, '-', '_', '.', '+', ':'%s",
			 word, BOOTARG_NAME_MAX - 1, path ? ", '/'" : "");
		return -ERR_INVAL;
	}
	memcpy(field, value, n + 1);
	return 0;
}

/* bootarg_apply: set the field for "key=value" in @word; 0 or -ERR_INVAL. */
static int bootarg_apply(const char *word, struct boot_args *args, char *why, size_t why_len)
{
	const char *eq = strchr(word, '=');
	size_t klen = eq ? (size_t)(eq - word) : strlen(word);

	for (size_t k = 0; k < sizeof(bootarg_keys) / sizeof(bootarg_keys[0]); k++) {
		const struct bootarg_key *key = &bootarg_keys[k];
		char accepted[80] = "";

		if (strlen(key->key) != klen || strncmp(word, key->key, klen))
			continue;
		if (key->parse) {
			if (eq && !key->parse(eq + 1, (unsigned *)((char *)args + key->offset)))
				return 0;
			snprintf(why, why_len, "bad value in '%s': expected %s", word,
				 key->expected);
			return -ERR_INVAL;
		}
		if (!key->values && key->max)
			return bootarg_number(word, eq ? eq + 1 : "", key->max,
					      (unsigned *)((char *)args + key->offset), why, why_len);
		if (!key->values)
			return bootarg_name(word, eq ? eq + 1 : "", key->path,
					    (char *)args + key->offset, why, why_len);
		for (const struct bootarg_value *v = key->values; v->text; v++) {
			if (eq && !strcmp(eq + 1, v->text)) {
				*(unsigned *)((char *)args + key->offset) = v->value;
				return 0;
			}
			strncat(accepted, v->text, sizeof(accepted) - strlen(accepted) - 2);
			if (v[1].text)
				strncat(accepted, "|", sizeof(accepted) - strlen(accepted) - 1);
		}
		snprintf(why, why_len, "bad value in '%s': expected %s=%s", word, key->key,
			 accepted);
		return -ERR_INVAL;
	}
	snprintf(why, why_len, "unknown boot argument '%s' (known:", word);
	for (size_t k = 0; k < sizeof(bootarg_keys) / sizeof(bootarg_keys[0]); k++) {
		size_t used = strlen(why);

		snprintf(why + used, why_len - used, " %s=", bootarg_keys[k].key);
	}
	strncat(why, ")", why_len - strlen(why) - 1);
	return -ERR_INVAL;
}

int bootargs_parse(const char *cmdline, struct boot_args *args, char *why, size_t why_len)
{
	const struct boot_args defaults = {
		0, BOOT_TIMER_AUTO, BOOT_TEST_NONE, "init", "pager", "demo", 16, 0, 0, BOOT_TRACE_AUTO,
		"faultline.trace",
	};
	struct boot_args parsed = defaults;
	const char *p = cmdline;

	*args = defaults;
	while (*p) {
		char word[BOOTARG_WORD_MAX];
		size_t n = strcspn(p, " \t");

		if (n == 0) {
			p++;
			continue;
		}
		if (n >= sizeof(word)) {
			snprintf(why, why_len, "boot argument too long (%zu characters, at most %zu)",
				 n, sizeof(word) - 1);
			return -ERR_INVAL;
		}
		memcpy(word, p, n);
		word[n] = '\0';
		if (bootarg_apply(word, &parsed, why, why_len))
			return -ERR_INVAL;
		p += n;
	}
	*args = parsed;
	return 0;
}
