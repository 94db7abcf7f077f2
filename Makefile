# Kantel - one binary. See README.md; `make demo` and `make check` do all set-up.

BUILD    ?= build
CC       ?= gcc
SAN      ?=
PKGS     := libmicrohttpd sqlite3 libpq jansson libsodium libcrypto libqrencode libxml-2.0
DEPCFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
DEPLIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm

WARN     := -Wall -Wextra -Werror -Wformat=2 -Wshadow -Wno-unused-parameter
ifeq ($(SAN),1)
OPT      := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDSAN    := -fsanitize=address,undefined
else
OPT      := -O2 -g -D_FORTIFY_SOURCE=2
LDSAN    :=
endif
CFLAGS   ?=
CFLAGS   += -std=c17 -D_GNU_SOURCE $(OPT) $(WARN) -fstack-protector-strong -fPIE -MMD -MP -Isrc -I$(BUILD) $(DEPCFLAGS)
LDFLAGS  += -pie -Wl,-z,relro,-z,now $(LDSAN)

LIB_SRC  := $(sort $(shell find src -name '*.c' ! -name main.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/assets.o
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

NODE_CSS := web/node_modules/@utrecht/component-library-css/dist/index.css
NODE_THEME := web/node_modules/@nl-design-system-unstable/voorbeeld-design-tokens/dist/theme.css
ASSET_FILES := $(sort $(wildcard templates/*.html)) $(sort $(wildcard src/db/migrations/*.sql)) \
               $(sort $(wildcard web/static/*)) src/auth/common-passwords.txt
ASSET_ARGS := $(foreach f,$(wildcard templates/*.html),templates/$(notdir $(f))=$(f)) \
              $(foreach f,$(wildcard src/db/migrations/*.sql),migrations/$(notdir $(f))=$(f)) \
              $(foreach f,$(wildcard web/static/*),static/$(notdir $(f))=$(f)) \
              static/utrecht.css=$(NODE_CSS) static/theme.css=$(NODE_THEME) \
              data/common-passwords.txt=src/auth/common-passwords.txt

.PHONY: all deps demo check test bench fuzz clean asan unit-bins fuzz-bins
all: $(BUILD)/kantel

deps:
	@scripts/install-deps

$(BUILD)/kantel: $(LIB_OBJ) $(BUILD)/obj/src/main.o
	$(CC) $(LDFLAGS) -o $@ $^ $(DEPLIBS)
	@echo "built $@"

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/embed: tools/embed.c
	@mkdir -p $(BUILD)
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $<

$(NODE_CSS) $(NODE_THEME):
	@echo "missing $@: run scripts/install-deps (or make demo / make check)" >&2; exit 1

$(BUILD)/assets.c: $(BUILD)/embed $(ASSET_FILES) $(NODE_CSS) $(NODE_THEME) Makefile
	$(BUILD)/embed $@ $(ASSET_ARGS)

$(BUILD)/obj/assets.o: $(BUILD)/assets.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Wno-overlength-strings -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< $(LIB_OBJ) $(DEPLIBS)

unit-bins: $(UNIT_BIN)

# Sanitizer build of the binary and unit tests in build-asan/.
asan:
	$(MAKE) BUILD=build-asan SAN=1 build-asan/kantel unit-bins

# libFuzzer targets (clang) in build-fuzz/.
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=build-fuzz/%)
# The pure modules the targets exercise (no server, no database).
FUZZ_LIB := src/core/buf.c src/core/arena.c src/core/config.c src/core/csv.c src/core/fold.c src/core/util.c src/domain/calendar.c src/domain/schedule.c \
            src/http/parse.c src/web/template.c \
            src/istd/core.c src/istd/model.c src/istd/xml.c src/istd/rules.c src/domain/ident.c src/core/keys.c
build-fuzz/%: tests/fuzz/%.c $(FUZZ_LIB)
	@mkdir -p build-fuzz
	clang -std=c17 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -Isrc $(DEPCFLAGS) \
	    -o $@ $< $(FUZZ_LIB) $(DEPLIBS)
fuzz-bins: $(FUZZ_BIN)

FUZZ_SECONDS ?= 60
# New inputs go to build-fuzz/corpus/NAME; the repository corpus is only read.
# Copy a finding worth keeping (small, new coverage) into tests/fuzz/corpus/NAME.
fuzz: deps fuzz-bins
	@for f in $(FUZZ_BIN); do n=$$(basename $$f); mkdir -p build-fuzz/corpus/$$n; \
	  echo "fuzzing $$n for $(FUZZ_SECONDS)s"; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -artifact_prefix=build-fuzz/ \
	      build-fuzz/corpus/$$n tests/fuzz/corpus/$$n || exit 1; done

demo: deps $(BUILD)/kantel
	@scripts/demo

test check: deps
	@scripts/check

bench: deps $(BUILD)/kantel
	@bench/run

clean:
	rm -rf build build-asan build-fuzz

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
