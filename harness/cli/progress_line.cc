// gcstress cli — ProgressLine.
#include "harness/cli/progress_line.h"

#include "harness/cli/resident_memory.h"

namespace gcs::cli {

ProgressLine::ProgressLine(std::FILE* out, bool terminal, std::chrono::milliseconds plain_every)
    : out_(out), terminal_(terminal), plain_every_(plain_every) {}

std::string ProgressLine::Grouped(uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string ProgressLine::Describe(const RunProgress& p) {
  const auto total = static_cast<uint64_t>(p.seconds);
  char elapsed[32];
  std::snprintf(elapsed, sizeof elapsed, "%llu:%02llu:%02llu",
                static_cast<unsigned long long>(total / 3600),
                static_cast<unsigned long long>(total / 60 % 60),
                static_cast<unsigned long long>(total % 60));
  std::string line = "loop: " + Grouped(p.iterations) + " iterations, " +
                     Grouped(static_cast<uint64_t>(p.exec_per_sec)) + " exec/s, " + elapsed +
                     " elapsed, " + std::string(p.strategy) + ", ";
  line += p.violations == 0
              ? "no violation"
              : Grouped(p.violations) + " violations (" + Grouped(p.distinct) + " distinct)";
  if (const uint64_t rss = ResidentKiB(); rss > 0) {
    char mib[32];
    std::snprintf(mib, sizeof mib, ", rss %.1f MiB", static_cast<double>(rss) / 1024.0);
    line += mib;
  }
  return line;
}

void ProgressLine::Update(const RunProgress& progress) {
  if (terminal_) {
    std::fprintf(out_, "\r\033[K%s", Describe(progress).c_str());
    drawn_ = true;
  } else {
    const double every = std::chrono::duration<double>(plain_every_).count();
    if (last_plain_ >= 0 && progress.seconds - last_plain_ < every) return;
    last_plain_ = progress.seconds;
    std::fprintf(out_, "%s\n", Describe(progress).c_str());
  }
  std::fflush(out_);
}

void ProgressLine::Finish() {
  if (drawn_) {
    std::fputs("\r\033[K", out_);
    std::fflush(out_);
    drawn_ = false;
  }
}

}  // namespace gcs::cli
