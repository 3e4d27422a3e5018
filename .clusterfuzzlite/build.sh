#!/bin/bash -eu
# gcstress on ClusterFuzzLite — the build step: the project's own OSS-Fuzz-style script, which
# reads $CC $CXX $CFLAGS $CXXFLAGS $LIB_FUZZING_ENGINE $OUT as the builder sets them.
exec "$SRC/gcstress/fuzz/build.sh"
