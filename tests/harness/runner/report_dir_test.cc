// gcstress tests — report directories: slugs, collision-free creation under contention, atomic
// writes.
#include "harness/runner/report_dir.h"

#include <dirent.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "tests/harness/runner/temp_dir.h"

namespace gcs {
namespace {

std::string TempDir() {
  return testing::TempDirUntilExit("gcs_reports_");
}

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::set<std::string> Entries(const std::string& dir) {
  std::set<std::string> out;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return out;
  while (dirent* e = ::readdir(d)) {
    const std::string name = e->d_name;
    if (name != "." && name != "..") out.insert(name);
  }
  ::closedir(d);
  return out;
}

TEST(ReportDirTest, SlugsAreSafeDirectoryNames) {
  EXPECT_EQ(SignatureSlug("double-free/attach/step/lifecycle.dealloc"),
            "double-free-attach-step-lifecycle.dealloc");
  EXPECT_EQ(SignatureSlug("deadlock/-/deadlock/-"), "deadlock-deadlock");
  EXPECT_EQ(SignatureSlug("Leak/GC/Teardown/heap"), "leak-gc-teardown-heap");
  EXPECT_EQ(SignatureSlug("../../etc/passwd"), "etc-passwd");
  EXPECT_EQ(SignatureSlug("a b\t\n/c"), "a-b-c");
  EXPECT_EQ(SignatureSlug(""), "violation");
  EXPECT_EQ(SignatureSlug("///"), "violation");
  EXPECT_EQ(SignatureSlug(std::string(300, 'x')).size(), 96u);
}

TEST(ReportDirTest, CreatesParentsAndNumbersCollisions) {
  const std::string root = TempDir() + "/a/b";
  auto first = CreateUniqueDirectory(root, "sig");
  auto second = CreateUniqueDirectory(root, "sig");
  auto third = CreateUniqueDirectory(root, "sig");
  ASSERT_TRUE(first.ok()) << first.error().Format();
  EXPECT_EQ(*first, root + "/sig");
  EXPECT_EQ(*second, root + "/sig-2");
  EXPECT_EQ(*third, root + "/sig-3");
}

TEST(ReportDirTest, ParallelWritersNeverShareADirectory) {
  const std::string root = TempDir();
  std::mutex mu;
  std::set<std::string> made;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        auto dir = CreateUniqueDirectory(root, "same");
        ASSERT_TRUE(dir.ok());
        std::lock_guard<std::mutex> guard(mu);
        EXPECT_TRUE(made.insert(*dir).second) << *dir;
      }
    });
  }
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(made.size(), 80u);
  EXPECT_EQ(Entries(root).size(), 80u);
}

TEST(ReportDirTest, WritesAtomicallyAndLeavesNoTemporaryFile) {
  const std::string dir = TempDir();
  const std::string path = dir + "/repro.json";
  ASSERT_FALSE(WriteFileAtomically(path, "first\n").has_value());
  EXPECT_EQ(Read(path), "first\n");
  ASSERT_FALSE(WriteFileAtomically(path, "second\n").has_value());
  EXPECT_EQ(Read(path), "second\n");
  EXPECT_EQ(Entries(dir), std::set<std::string>{"repro.json"});
}

TEST(ReportDirTest, ErrorsAreInputErrors) {
  auto error = WriteFileAtomically("/nonexistent/dir/repro.json", "x");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->Format().rfind("/nonexistent/dir/repro.json.tmp.", 0), 0u) << error->Format();
  EXPECT_NE(error->Format().find(": cannot create: No such file or directory"), std::string::npos);
  const std::string dir = TempDir();
  ASSERT_FALSE(WriteFileAtomically(dir + "/file", "x").has_value());
  auto under_file = CreateUniqueDirectory(dir + "/file", "sig");
  ASSERT_FALSE(under_file.ok());
  EXPECT_EQ(under_file.error().Format(), dir + "/file: not a directory");
}

}  // namespace
}  // namespace gcs
