# forklab: the safe process wrapper (lib/), the checker (harness/, build/forklab),
# the broken and fixed programs of every pitfall, and the tests that hold it together.
# `make` builds into build/; `make demo` runs the tour; `make test` runs every test.

BUILD    ?= build
PREFIX   ?= /usr/local
CC       ?= cc
# SAN holds extra flags for a sanitizer variant (see `sanitize` below).
SAN      ?=
CFLAGS   := -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -O2 -g $(SAN)
CPPFLAGS := -Ilib -Iharness
LDFLAGS  := $(SAN)
# Fixtures, pitfalls and solutions always come from the plain build: a target
# must not carry sanitizers (LeakSanitizer ptraces itself, which a traced process cannot).
PLAIN    ?= $(BUILD)

DEPS_OK   := build/.deps-ok
TEST_DEPS_OK := build/.test-deps-ok
JSON_LIBS  = $(shell pkg-config --libs jansson)
XML_LIBS   = -lexpat
MATH_LIBS  = -lm
TEST_LIBS  = $(shell pkg-config --libs criterion)

LIB_SRC      := $(wildcard lib/*.c)
# harness/ is one folder per layer (see harness/README.md); every .c but main.c goes in harness.a.
HARNESS_SRC  := $(filter-out harness/main.c,$(shell find harness -name '*.c'))
PITFALLS     := $(patsubst pitfalls/%.c,$(PLAIN)/pitfalls/%,$(wildcard pitfalls/*.c))
SOLUTIONS    := $(patsubst solutions/%.c,$(PLAIN)/solutions/%,$(wildcard solutions/*.c))
# The same fixes with raw system calls, where the wrapper's fix is another program.
RAW_FIXES    := $(patsubst solutions/raw/%.c,$(PLAIN)/solutions/raw/%,$(wildcard solutions/raw/*.c))
FIXTURES     := $(patsubst tests/fixtures/%.c,$(PLAIN)/fixtures/%,$(wildcard tests/fixtures/*.c))
BENCHES      := $(patsubst bench/%.c,$(PLAIN)/bench/%,$(wildcard bench/*.c))
# Every folder tests/NAME/ with .c files becomes one criterion binary build/tests/test-NAME.
TEST_DIRS    := $(sort $(patsubst tests/%/,%,$(dir $(wildcard tests/*/*.c))))
TEST_DIRS    := $(filter-out fixtures,$(TEST_DIRS))
TESTS        := $(patsubst %,$(BUILD)/tests/test-%,$(TEST_DIRS))
CLI          := $(if $(wildcard harness/main.c),$(BUILD)/forklab)

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

.PHONY: all deps lib cli programs exercises tests test stress sanitize fortify valgrind-tests \
        bench demo lessons pictures gradescope man install uninstall format lint clean
.DEFAULT_GOAL := all

# The last line of `make`: how to run forklab by name, as its messages print it.
all: lib $(CLI) programs
	@echo 'export PATH="$(abspath $(BUILD)):$$PATH"   # paste this to type forklab, not $(BUILD)/forklab'

deps: $(DEPS_OK)
$(DEPS_OK): mk/deps.sh
	@mkdir -p $(@D)
	@sh mk/deps.sh
	@touch $@

# What only the tests need on top (a browser for the HTML report).
$(TEST_DEPS_OK): mk/deps.sh
	@mkdir -p $(@D)
	@sh mk/deps.sh --test
	@touch $@

# ---- the library -----------------------------------------------------------
lib: $(BUILD)/libforklab.a $(BUILD)/libforklab.so

$(BUILD)/obj/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -fPIC -MMD -MP -c $< -o $@

$(BUILD)/libforklab.a: $(call obj,$(LIB_SRC))
	@mkdir -p $(@D)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/libforklab.so: $(call obj,$(LIB_SRC))
	@mkdir -p $(@D)
	$(CC) -shared -Wl,-soname,libforklab.so $(LDFLAGS) -o $@ $^

# ---- the checker -----------------------------------------------------------
# Archives are made afresh: `ar rcs` into an old one would keep the members
# of sources since deleted or moved.
$(BUILD)/harness.a: $(call obj,$(HARNESS_SRC))
	@mkdir -p $(@D)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/forklab: $(call obj,harness/main.c) $(BUILD)/harness.a $(BUILD)/libforklab.a
	$(CC) $(LDFLAGS) -o $@ $^ $(JSON_LIBS) $(XML_LIBS) $(MATH_LIBS)

# ---- pitfalls, solutions, fixtures, benchmarks --------------------------------
programs: exercises $(FIXTURES)
# What a student builds: the broken programs and both kinds of fix.
exercises: $(PITFALLS) $(SOLUTIONS) $(RAW_FIXES)

# A pitfall is plain C as a student writes it: no wrapper; so is a raw fix.
$(PLAIN)/pitfalls/%: pitfalls/%.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -pthread -o $@ $<

$(PLAIN)/solutions/raw/%: solutions/raw/%.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -pthread -o $@ $<

$(PLAIN)/solutions/%: solutions/%.c $(PLAIN)/libforklab.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -pthread -o $@ $< $(PLAIN)/libforklab.a

$(PLAIN)/fixtures/%: tests/fixtures/%.c $(PLAIN)/libforklab.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -pthread -o $@ $< $(PLAIN)/libforklab.a

$(PLAIN)/bench/%: bench/%.c $(PLAIN)/libforklab.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -pthread -o $@ $< $(PLAIN)/libforklab.a

# ---- tests -----------------------------------------------------------------
# Tests find the programs they run through these paths, so a sanitizer build
# of the tests still runs the plain fixtures.
TEST_DEFS = -DFORKLAB_SOURCE_DIR='"$(CURDIR)"' \
            -DFORKLAB_PLAIN_DIR='"$(abspath $(PLAIN))"' \
            -DFORKLAB_CLI='"$(abspath $(BUILD))/forklab"'

$(BUILD)/tests/obj/%.o: tests/%.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(TEST_DEFS) -MMD -MP -c $< -o $@

# Keep every intermediate file (test objects made through pattern chains):
# make would otherwise delete them at the end, after the closing
# "N passed, N failed" line of `make test`.
.SECONDARY:
.SECONDEXPANSION:
# (patsubst would not do here: make substitutes the stem into every % of a pattern rule.)
$(BUILD)/tests/test-%: $$(addsuffix .o,$$(basename $$(subst tests/,$(BUILD)/tests/obj/,$$(wildcard tests/$$*/*.c)))) \
                       $(BUILD)/harness.a $(BUILD)/libforklab.a
	$(CC) $(LDFLAGS) -o $@ $^ $(TEST_LIBS) $(JSON_LIBS) $(XML_LIBS) $(MATH_LIBS) -pthread

tests: $(TESTS)

# make test: every criterion binary and script on the plain build, then the
# same tests under ASan+UBSan, then the wrapper's tests under valgrind, and a
# fortified build of what students and the Classroom workflow compile.
test: all tests | $(TEST_DEPS_OK)
	@rm -f $(BUILD)/test-counts
	@sh mk/run-tests.sh $(BUILD) $(TESTS); \
	 $(MAKE) --no-print-directory fortify; \
	 $(MAKE) --no-print-directory sanitize; \
	 $(MAKE) --no-print-directory valgrind-tests; \
	 sh mk/summary.sh $(BUILD)

# make stress: the graded submissions (tests/grade/styles.c) two suites at
# once, on a loaded machine; CI runs it after make test.
stress: all tests
	@sh mk/stress.sh $(BUILD)

SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
sanitize: all
	$(MAKE) --no-print-directory BUILD=$(BUILD)/asan PLAIN=$(BUILD) SAN="$(SAN_FLAGS)" \
	    tests $(BUILD)/asan/forklab
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	    FORKLAB_COUNTS=$(BUILD)/test-counts sh mk/run-tests.sh $(BUILD)/asan $(patsubst %,$(BUILD)/asan/tests/test-%,$(TEST_DIRS))

# Ubuntu's gcc (where the Classroom workflow runs) fortifies by default, which
# warns about ignored read() and write() results among others: the library,
# the checker and every exercise build here that way too, so such a warning
# fails here first. (-U first: defining it twice is itself a warning there.)
FORTIFY_FLAGS := -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=3 -Wformat-security
fortify:
	@if $(MAKE) --no-print-directory BUILD=$(BUILD)/fortify PLAIN=$(BUILD)/fortify \
	        SAN="$(FORTIFY_FLAGS)" lib $(BUILD)/fortify/forklab exercises; then \
	    echo "ok: fortified build"; echo "1 0" >>$(BUILD)/test-counts; \
	 else \
	    echo "FAILED: fortified build" >&2; echo "0 1" >>$(BUILD)/test-counts; exit 1; \
	 fi

valgrind-tests: tests
	@sh mk/valgrind-tests.sh $(BUILD)

# ---- benchmarks, demo ------------------------------------------------------
# Every benchmark runs, even after one misses its target; the status says if any did.
bench: all $(BENCHES)
	@status=0; for script in bench/*.sh; do sh "$$script" $(PLAIN) || status=1; done; exit $$status

demo: all
	@sh mk/demo.sh $(PLAIN) $(PITFALL)

# Regenerates the harness output quoted in lessons/ from real runs.
lessons: all
	@python3 mk/lessons.py --build $(PLAIN) --write

# The README's screenshot of an HTML report, taken in headless Chromium
# (Debian's python3, which has Debian's selenium).
pictures: lessons | $(TEST_DEPS_OK)
	/usr/bin/python3 mk/screenshot.py lessons/reports/04-leaked-fds.html lessons/reports/04-leaked-fds.png

# One Gradescope autograder zip per exercise in BUILD/gradescope/ (EXERCISE=03 for one).
gradescope: | $(DEPS_OK)
	sh grading/make-bundle.sh $(BUILD)/gradescope $(EXERCISE)

# ---- man pages, install ----------------------------------------------------
# The man pages come from the CLI's own --help texts (help2man).
man: $(BUILD)/man/forklab.1
$(BUILD)/man/forklab.1: $(BUILD)/forklab mk/man.sh
	@sh mk/man.sh $(BUILD)

install: all man
	install -d $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include \
	           $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/bin
	install -m 644 $(BUILD)/libforklab.a $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(BUILD)/libforklab.so $(DESTDIR)$(PREFIX)/lib/
	install -m 644 lib/forklab.h $(DESTDIR)$(PREFIX)/include/
	sed 's|@PREFIX@|$(PREFIX)|' mk/forklab.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/forklab.pc
	$(if $(CLI),install -m 755 $(CLI) $(DESTDIR)$(PREFIX)/bin/)
	# The exercises, so that an installed forklab can grade and guide self-study.
	install -d $(DESTDIR)$(PREFIX)/share/forklab/pitfalls/data $(DESTDIR)$(PREFIX)/share/forklab/lessons \
	           $(DESTDIR)$(PREFIX)/share/forklab/drills
	install -m 644 pitfalls/manifest.json pitfalls/*.c $(DESTDIR)$(PREFIX)/share/forklab/pitfalls/
	install -m 644 pitfalls/data/* $(DESTDIR)$(PREFIX)/share/forklab/pitfalls/data/
	install -m 644 lessons/*.md $(DESTDIR)$(PREFIX)/share/forklab/lessons/
	install -m 644 drills/drills.json drills/*.c $(DESTDIR)$(PREFIX)/share/forklab/drills/
	# Man pages, and completion of commands, options and exercise names.
	install -d $(DESTDIR)$(PREFIX)/share/man/man1 \
	           $(DESTDIR)$(PREFIX)/share/bash-completion/completions \
	           $(DESTDIR)$(PREFIX)/share/zsh/site-functions
	install -m 644 $(BUILD)/man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 completion/forklab.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/forklab
	install -m 644 completion/_forklab $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_forklab

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/lib/libforklab.a $(DESTDIR)$(PREFIX)/lib/libforklab.so \
	      $(DESTDIR)$(PREFIX)/include/forklab.h $(DESTDIR)$(PREFIX)/lib/pkgconfig/forklab.pc \
	      $(DESTDIR)$(PREFIX)/bin/forklab
	rm -rf $(DESTDIR)$(PREFIX)/share/forklab
	rm -f $(DESTDIR)$(PREFIX)/share/man/man1/forklab.1 $(DESTDIR)$(PREFIX)/share/man/man1/forklab-*.1 \
	      $(DESTDIR)$(PREFIX)/share/bash-completion/completions/forklab \
	      $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_forklab

# ---- style -----------------------------------------------------------------
SOURCES = $(shell git ls-files '*.c' '*.h' 2>/dev/null)

format:
	clang-format -i $(SOURCES)

lint: | $(DEPS_OK)
	python3 mk/layers.py harness
	cppcheck --quiet --error-exitcode=1 --std=c11 --enable=warning,portability \
	    --inline-suppr -D_GNU_SOURCE -Ilib -Iharness lib harness solutions
	clang-format --dry-run --Werror $(SOURCES)

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
