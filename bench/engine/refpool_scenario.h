// gcstress engine — benchmarks: the small two-thread scenario both benchmarks run.
#pragma once

namespace gcs::bench {

// scenarios/examples/refpool-clone-drop.json, the fixed core: two threads, nine steps. Inline
// rather than read from the source tree, so the benchmarks run from anywhere.
inline constexpr const char* kRefpool = R"({
  "format": 1, "name": "refpool-clone-drop",
  "threads": {
    "t1": [{"op": "attach"}, {"op": "new", "as": "obj"}, {"op": "yield"},
           {"op": "drop", "obj": "obj"}, {"op": "detach"}, {"op": "attach"}, {"op": "detach"}],
    "t2": [{"op": "clone", "obj": "obj", "as": "c"}, {"op": "drop", "obj": "c"}]
  }
})";

}  // namespace gcs::bench
