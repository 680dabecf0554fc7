# Two entry points for a fresh Debian 12 machine:
#   make run    install what is missing, build everything, start the app
#   make test   the same set-up, then the whole test suite
# Other targets: build, servers, locust, asan-test, format, format-check, package, clean.

BUILD_DIR  ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CTEST_ARGS ?=
# Warnings are errors in CI (CI=true there), and for anyone who asks for it.
WERROR     ?= $(if $(CI),ON,OFF)

.PHONY: all deps configure build servers locust setup run test asan-test format format-check package clean

all: setup

deps:
	@installer/deps.sh

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DSTACKADVISOR_WERROR=$(WERROR) \
	    -DSTACKADVISOR_SERVERS_BUILD_DIR=$(abspath $(BUILD_DIR))/servers

configure: deps $(BUILD_DIR)/CMakeCache.txt

build: configure
	cmake --build $(BUILD_DIR) --parallel $(JOBS)

servers: deps
	@servers/build.sh $(BUILD_DIR)/servers

# Locust in its own venv, for the Locust plan's tests (README, "Beyond one machine").
locust: deps
	@servers/locust-setup.sh $(BUILD_DIR)/servers

setup: build servers

run: setup
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ]; then \
	    echo "make run: no display found (DISPLAY and WAYLAND_DISPLAY are unset)."; \
	    echo "  Everything is built. Start the app under a virtual display:"; \
	    echo "      xvfb-run -a $(BUILD_DIR)/bin/stackadvisor"; \
	    echo "  or use it headless, e.g.:"; \
	    echo "      $(BUILD_DIR)/bin/stackadvisor advise --answers tests/data/high-traffic-go-team.json"; \
	    echo "      $(BUILD_DIR)/bin/stackadvisor --help"; \
	    exit 1; \
	fi
	$(BUILD_DIR)/bin/stackadvisor

test: setup locust
	cd $(BUILD_DIR) && ctest --output-on-failure --timeout 900 $(CTEST_ARGS)

# The Debian package (installer/packaging.cmake): $(BUILD_DIR)/stackadvisor_<version>_<arch>.deb.
package: setup
	cmake --build $(BUILD_DIR) --target package

# Core and load-generator unit tests under AddressSanitizer + UBSan.
asan-test: deps
	cmake --preset asan
	cmake --build --preset asan --parallel $(JOBS)
	ctest --preset asan

# The C++ sources as .clang-format wants them (clang-format from installer/deps.sh).
format: deps
	git ls-files -z '*.cpp' '*.h' | xargs -0 clang-format -i

format-check: deps
	git ls-files -z '*.cpp' '*.h' | xargs -0 clang-format --dry-run -Werror

clean:
	rm -rf $(BUILD_DIR) build-asan
