// gcstress scheduler — tests: CountOsThreads, to check that runners reuse their threads.
#pragma once

#include <dirent.h>

namespace gcs::sched::testing {

// The threads of this process, as the kernel lists them now.
inline int CountOsThreads() {
  int count = 0;
  if (DIR* dir = opendir("/proc/self/task")) {
    while (const dirent* entry = readdir(dir))
      count += entry->d_name[0] != '.' ? 1 : 0;
    closedir(dir);
  }
  return count;
}

}  // namespace gcs::sched::testing
