// gcstress tests — stack frames: function-name reduction and which frames are runtime frames.
#include "harness/isolation/stack_frames.h"

#include <gtest/gtest.h>

namespace gcs::isolation {
namespace {

TEST(StackFramesTest, NormalizeDropsParametersTemplatesQualifiersAndReturnTypes) {
  EXPECT_EQ(NormalizeFunction("gcs::core::Heap::Free(gcs::core::Object*) const"),
            "gcs::core::Heap::Free");
  EXPECT_EQ(NormalizeFunction("(anonymous namespace)::CrashTarget::Apply(gcs::StepRequest const&)"),
            "CrashTarget::Apply");
  EXPECT_EQ(NormalizeFunction("gcs::{anonymous}::Segfault()"), "gcs::Segfault");
  EXPECT_EQ(NormalizeFunction("void gcs::Visit<gcs::Obj, 3>(gcs::Obj&)"), "gcs::Visit");
  EXPECT_EQ(NormalizeFunction("std::vector<int, std::allocator<int> >::push_back(int&&)"),
            "std::vector::push_back");
  EXPECT_EQ(NormalizeFunction("gcs::Run()::$_3::operator()() const"), "gcs::Run::$_3::operator()");
  EXPECT_EQ(NormalizeFunction("gcs::Foo::operator<<(int)"), "gcs::Foo::operator<<");
  EXPECT_EQ(NormalizeFunction("gcs::Foo::operator==(gcs::Foo const&) const"),
            "gcs::Foo::operator==");
  EXPECT_EQ(NormalizeFunction("operator delete(void*)"), "operator delete");
  EXPECT_EQ(NormalizeFunction("gcs::Body(int) [clone .cold]"), "gcs::Body");
  EXPECT_EQ(NormalizeFunction("gcs::Engine::Run(gcs::Scenario const&)::{lambda(unsigned int)#1}::"
                              "operator()(unsigned int) const"),
            "gcs::Engine::Run::{lambda#1}::operator()");
  EXPECT_EQ(NormalizeFunction("<null>"), "");
  EXPECT_EQ(NormalizeFunction("??"), "");
  EXPECT_EQ(NormalizeFunction("  main  "), "main");
}

TEST(StackFramesTest, RuntimeFramesAreSkippedOwnFramesAreNot) {
  const auto runtime = [](std::string fn, std::string module = "") {
    return IsRuntimeFrame(Frame{std::move(fn), std::move(module), ""});
  };
  EXPECT_TRUE(runtime("operator delete(void*)"));
  EXPECT_TRUE(runtime("__interceptor_free"));
  EXPECT_TRUE(runtime("free"));
  EXPECT_TRUE(runtime("__asan::ReportDoubleFree(unsigned long, __sanitizer::BufferedStackTrace*)"));
  EXPECT_TRUE(runtime("__tsan_write8"));
  EXPECT_TRUE(runtime("std::_Function_handler<void (unsigned int), X>::_M_invoke(...)"));
  EXPECT_TRUE(runtime("abort"));
  EXPECT_TRUE(runtime("raise"));
  EXPECT_TRUE(runtime("gcs::CheckFailed(char const*, int, char const*, char const*)"));
  EXPECT_TRUE(
      runtime("gcs::isolation::(anonymous namespace)::OnFatalSignal(int, siginfo_t*, void*)"));
  EXPECT_TRUE(runtime("start_thread"));
  EXPECT_TRUE(runtime("some_libc_function", "/lib/x86_64-linux-gnu/libc.so.6"));
  EXPECT_TRUE(runtime(""));
  EXPECT_TRUE(runtime("<null>"));
  EXPECT_FALSE(runtime("gcs::core::Heap::Free(gcs::core::Object*)"));
  EXPECT_FALSE(runtime("freeze_all()"));  // not `free`
  EXPECT_FALSE(runtime("gcs::Engine::RunStep(...)", "/work/main/build/gcstress"));
}

TEST(StackFramesTest, FirstOwnFunctionSkipsTheRuntimeOnTop) {
  const std::vector<Frame> stack = {
      {"__interceptor_free", "", ""},
      {"operator delete(void*)", "", ""},
      {"gcs::core::Heap::Free(gcs::core::Object*)", "", "/src/core/heap.cc:10:3"},
      {"gcs::core::Runtime::Drop(unsigned long)", "", ""},
  };
  EXPECT_EQ(FirstOwnFunction(stack), "gcs::core::Heap::Free");
  EXPECT_EQ(FirstOwnFunction({{"abort", "", ""}, {"raise", "", ""}}), "");
  EXPECT_EQ(FirstOwnFunction({}), "");
}

}  // namespace
}  // namespace gcs::isolation
