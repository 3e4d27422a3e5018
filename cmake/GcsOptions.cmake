# gcstress — compile options as INTERFACE targets: warnings for our code, sanitizers for all of it.

# gcs::warnings — strict warnings, errors in our own code only (never on third-party headers).
add_library(gcs_warnings INTERFACE)
add_library(gcs::warnings ALIAS gcs_warnings)
target_compile_options(gcs_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Werror -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Woverloaded-virtual -Wimplicit-fallthrough -Wno-missing-field-initializers)

# gcs::sanitizers — linked PUBLIC by every library so that all of gcstress agrees on the ABI.
add_library(gcs_sanitizers INTERFACE)
add_library(gcs::sanitizers ALIAS gcs_sanitizers)
if(GCS_SANITIZE)
  list(JOIN GCS_SANITIZE "," _gcs_san)
  target_compile_options(gcs_sanitizers INTERFACE -fsanitize=${_gcs_san} -fno-omit-frame-pointer
                                                  -fno-sanitize-recover=all)
  target_link_options(gcs_sanitizers INTERFACE -fsanitize=${_gcs_san})
  target_compile_definitions(gcs_sanitizers INTERFACE GCS_SANITIZE_STRING="${_gcs_san}")
endif()
if(GCS_COVERAGE)
  target_compile_options(gcs_sanitizers INTERFACE -fprofile-instr-generate -fcoverage-mapping)
  target_link_options(gcs_sanitizers INTERFACE -fprofile-instr-generate)
endif()
if(GCS_BUILD_FUZZERS)
  # Everything linked into a fuzzer is built for it; only fuzzer mains link the engine. Coverage
  # counters go only where fuzz/coverage_allowlist.txt says (the core and the loaders), less the
  # standard library's functions and the target adapters (fuzz/coverage_ignorelist.txt).
  #
  # Comparison tracing (trace-cmp: a libFuzzer callback at every integer compare and switch, so
  # that mutations can splice in the operands) only where input bytes are compared: the targets
  # that parse text set GCS_FUZZ_TRACE_CMP (the scenario and repro loaders). In the core and the
  # oracles the operands are allocation ids and counts, never input bytes, and the callbacks were
  # 14% of scenario_fuzzer's time.
  target_compile_options(gcs_sanitizers INTERFACE -fsanitize=fuzzer-no-link
    -fsanitize-coverage-allowlist=${PROJECT_SOURCE_DIR}/fuzz/coverage_allowlist.txt
    -fsanitize-coverage-ignorelist=${PROJECT_SOURCE_DIR}/fuzz/coverage_ignorelist.txt
    $<$<NOT:$<BOOL:$<TARGET_PROPERTY:GCS_FUZZ_TRACE_CMP>>>:-fno-sanitize-coverage=trace-cmp>)
endif()

# gcs_harness_unsanitized_in_fuzzers(TARGET) — in a fuzzer build, TARGET's own sources are compiled
# without the sanitizers (unless GCS_FUZZ_SANITIZE_HARNESS). For the engine and the oracles: the
# harness that runs a valid scenario and judges its trace. What a fuzz input reaches as bytes (the
# decoding, the generator, ByteStrategy), the system under test (the core and its target adapter)
# and the scheduler's fiber switching (its ASan annotations) stay instrumented; ASan's allocator
# still serves every allocation, so a use after free in the core is reported exactly as before.
# Instrumenting the judge too cost scenario_fuzzer about a third of its CPU per case (ASan checks and
# UBSan's vptr checks on every trace entry, seen by up to six oracles) and checks code whose inputs
# are traces, not bytes; the asan preset's tests run the same engine and oracles, instrumented, over
# the fuzzer's corpus and thousands of generated scenarios (tests/harness/fuzzing). Issue 22.
function(gcs_harness_unsanitized_in_fuzzers target)
  if(GCS_BUILD_FUZZERS AND GCS_SANITIZE AND NOT GCS_FUZZ_SANITIZE_HARNESS)
    get_target_property(_sources ${target} SOURCES)
    set_source_files_properties(${_sources} TARGET_DIRECTORY ${target}
                                PROPERTIES COMPILE_OPTIONS "-fno-sanitize=${_gcs_san}")
  endif()
endfunction()

# gcs_add_test(NAME SOURCES... LIBS ...) — one GoogleTest binary, discovered into ctest.
function(gcs_add_test name)
  cmake_parse_arguments(ARG "" "LABELS" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gmock GTest::gtest_main
                                        gcs::warnings gcs::sanitizers)
  # One label per binary (its area): gtest_discover_tests flattens a label list into extra
  # set_tests_properties arguments.
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT 300)
endfunction()
