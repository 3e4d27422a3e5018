#!/bin/bash -eu
# gcstress fuzz — build.sh: the fuzzers, built the OSS-Fuzz / ClusterFuzzLite way.
#
# Reads the variables those builders set, and nothing else:
#   CC CXX               the compilers
#   CFLAGS CXXFLAGS      sanitizer and coverage flags (e.g. -fsanitize=address,fuzzer-no-link);
#                        every library is compiled with exactly these, nothing of our own added
#   LIB_FUZZING_ENGINE   what a fuzzer main links against (-fsanitize=fuzzer, or an engine .a)
#   OUT                  where the fuzzers, their .dict/.options and <name>_seed_corpus.zip go
#   SRC                  the checkout's parent (OSS-Fuzz: /src); WORK: scratch (default $OUT/..)
#
# The libraries are built by CMake with the project's own sanitizer and fuzzer switches off
# (GCS_SANITIZE="", GCS_BUILD_FUZZERS=OFF), so the engine's flags are the only ones; the fuzzer
# mains are then compiled and linked here with $LIB_FUZZING_ENGINE, as the OSS-Fuzz guide does,
# so any engine the builder chooses links. Needs cmake, ninja, nlohmann-json and CLI11
# (tools/setup installs them; a ClusterFuzzLite Dockerfile apt-gets the same).
#
# Local run, as OSS-Fuzz would (fuzz/README.md):
#   CC=clang-14 CXX=clang++-14 CFLAGS="-O1 -g -fsanitize=address,fuzzer-no-link" \
#   CXXFLAGS="$CFLAGS" LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT=/tmp/out SRC=/tmp fuzz/build.sh

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# Run from the checkout (fuzz/build.sh) or copied to $SRC/build.sh and run in the checkout.
if [ -f "$here/../CMakeLists.txt" ] && grep -q 'project(gcstress' "$here/../CMakeLists.txt"; then
  root=$(cd "$here/.." && pwd)
else
  root=$PWD
fi
: "${CC:?} ${CXX:?} ${LIB_FUZZING_ENGINE:?} ${OUT:?}"
CFLAGS=${CFLAGS:-}
CXXFLAGS=${CXXFLAGS:-}
work=${WORK:-$OUT/..}/gcstress-build
mkdir -p "$OUT" "$work"

fuzzers="scenario_fuzzer scenario_json_fuzzer"

cmake -S "$root" -B "$work" -G Ninja \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
  -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_CXX_FLAGS="$CXXFLAGS" \
  -DGCS_SANITIZE="" -DGCS_BUILD_FUZZERS=OFF -DGCS_BUILD_TESTS=OFF -DGCS_BUILD_BENCH=OFF \
  -DGCS_WITH_CPYTHON=OFF
cmake --build "$work" --target gcs_fuzzing gcs_runner gcs_target -j"$(nproc)"

# Every gcstress library, as one group: the linker takes what the mains use, in any order.
libs=$(find "$work/harness" "$work/core" -name 'libgcs_*.a' | sort)

for fuzzer in $fuzzers; do
  $CXX $CXXFLAGS -std=c++20 -I"$root" -c "$root/fuzz/$fuzzer.cc" -o "$work/$fuzzer.o"
  $CXX $CXXFLAGS "$work/$fuzzer.o" -Wl,--start-group $libs -Wl,--end-group \
    $LIB_FUZZING_ENGINE -lpthread -o "$OUT/$fuzzer"
  for ext in dict options; do
    if [ -f "$root/fuzz/$fuzzer.$ext" ]; then cp "$root/fuzz/$fuzzer.$ext" "$OUT/"; fi
  done
  rm -f "$OUT/${fuzzer}_seed_corpus.zip"
  (cd "$root/corpus/$fuzzer" && zip -q -r "$OUT/${fuzzer}_seed_corpus.zip" .)
done
