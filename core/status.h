// gcstress core — Status and Result<T>: the core API's error values (errors.def).
#pragma once

#include <string_view>
#include <utility>

#include "core/check.h"

namespace gcs::core {

enum class Status : uint8_t {
#define GCS_ERROR(Name, name, help) k##Name,
#include "core/errors.def"
#undef GCS_ERROR
};

std::string_view StatusName(Status s);
std::string_view StatusHelp(Status s);
constexpr int kStatusCount = 0
#define GCS_ERROR(Name, name, help) +1
#include "core/errors.def"
#undef GCS_ERROR
    ;

// A value, or the Status saying why there is none.
template <class T>
class Result {
 public:
  Result(T value) : status_(Status::kOk), value_(std::move(value)) {}  // NOLINT
  Result(Status status) : status_(status), value_() {                  // NOLINT
    GCS_CHECK_MSG(status != Status::kOk, "Result(Status::kOk) without a value");
  }
  bool ok() const { return status_ == Status::kOk; }
  Status status() const { return status_; }
  const T& value() const& {
    GCS_CHECK(ok());
    return value_;
  }
  T&& value() && {
    GCS_CHECK(ok());
    return std::move(value_);
  }

 private:
  Status status_;
  T value_;
};

}  // namespace gcs::core
