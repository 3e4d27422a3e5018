// gcstress reporters — report.json's field tables (report_fields.def) as C++: the codecs a row
// names, one struct per table whose ForEach visits its rows, and the table-driven encoder,
// decoder and schema text. json_reporter.cc and the tests use them; nothing else should.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/input_error.h"
#include "harness/reporters/failure_report.h"

namespace gcs::reporters::report_json {

using Json = nlohmann::ordered_json;

// The decoder: every field required, of its type; the first problem is thrown as an InputError
// and caught at ParseReportJson, the one boundary.
struct Bad {
  InputError error;
};

class Reader {
 public:
  explicit Reader(const std::string& file) : file_(file) {}

  [[noreturn]] void Fail(const std::string& path, const std::string& message) const {
    throw Bad{InputError{file_, path.empty() ? "/" : path, message}};
  }

  const Json& At(const Json& obj, std::string_view key, const std::string& path) const {
    if (!obj.is_object()) Fail(path, "expected an object");
    auto it = obj.find(std::string(key));
    if (it == obj.end()) Fail(Path(path, key), "missing");
    return *it;
  }
  static std::string Path(const std::string& path, std::string_view key) {
    return path + "/" + std::string(key);
  }

 private:
  const std::string& file_;
};

// Codecs: Encode(value) -> Json; Decode(reader, object, key, path, value&) reads `key` of
// `object` (at JSON pointer `path`) into the value or fails naming it; kType names it in the
// schema text; Describe adds a nested table's lines.
struct Leaf {
  static void Describe(std::string&, int) {}
};

// "" if `v` reads as a T, else why not.
template <class T>
std::string_view ScalarProblem(const Json& v) {
  if constexpr (std::is_same_v<T, std::string>) {
    return v.is_string() ? "" : "expected a string";
  } else if constexpr (std::is_same_v<T, bool>) {
    return v.is_boolean() ? "" : "expected true or false";
  } else if constexpr (std::is_same_v<T, double>) {
    return v.is_number() ? "" : "expected a number";
  } else if constexpr (std::is_unsigned_v<T>) {
    if (!v.is_number_unsigned()) return "expected an unsigned integer";
    return v.get<uint64_t>() > std::numeric_limits<T>::max() ? "out of range" : "";
  } else {
    static_assert(std::is_same_v<T, int64_t>);
    if (!v.is_number_integer()) return "expected an integer";
    const bool too_big =
        v.is_number_unsigned() &&
        v.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
    return too_big ? "out of range" : "";
  }
}

// A JSON scalar read as T.
template <class T>
struct Scalar : Leaf {
  static Json Encode(const T& v) { return v; }
  static void Decode(const Reader& r, const Json& o, std::string_view k, const std::string& p,
                     T& out) {
    const Json& v = r.At(o, k, p);
    if (const std::string_view problem = ScalarProblem<T>(v); !problem.empty()) {
      r.Fail(Reader::Path(p, k), std::string(problem));
    }
    out = v.get<T>();
  }
};

struct Str : Scalar<std::string> {
  static constexpr std::string_view kType = "string";
};
struct Bool : Scalar<bool> {
  static constexpr std::string_view kType = "bool";
};
struct U64 : Scalar<uint64_t> {
  static constexpr std::string_view kType = "u64";
};
struct U32 : Scalar<uint32_t> {
  static constexpr std::string_view kType = "u32";
};
struct I64 : Scalar<int64_t> {
  static constexpr std::string_view kType = "i64";
};
struct Number : Scalar<double> {
  static constexpr std::string_view kType = "number";
};

// Calls `f(item, item_path)` for each item of the array at `key`, in order.
template <class F>
void Each(const Reader& r, const Json& o, std::string_view k, const std::string& p, F f) {
  const Json& a = r.At(o, k, p);
  if (!a.is_array()) r.Fail(Reader::Path(p, k), "expected an array");
  for (size_t i = 0; i < a.size(); ++i)
    f(a[i], Reader::Path(p, k) + "/" + std::to_string(i));
}

struct Strings : Leaf {
  static constexpr std::string_view kType = "[string]";
  static Json Encode(const std::vector<std::string>& items) {
    Json j = Json::array();
    for (const std::string& s : items)
      j.push_back(s);
    return j;
  }
  static void Decode(const Reader& r, const Json& o, std::string_view k, const std::string& p,
                     std::vector<std::string>& out) {
    out.clear();
    Each(r, o, k, p, [&](const Json& item, const std::string& q) {
      if (!item.is_string()) r.Fail(q, "expected a string");
      out.push_back(item.get<std::string>());
    });
  }
};

// The schema number: written as is, read back only if it is the one this gcstress writes.
struct Version : Leaf {
  static constexpr std::string_view kType = "1";
  static Json Encode(int v) { return v; }
  static void Decode(const Reader& r, const Json& o, std::string_view k, const std::string& p,
                     int& out) {
    const Json& v = r.At(o, k, p);
    if (!v.is_number_unsigned() || v.get<uint64_t>() != kReportFormat) {
      r.Fail(Reader::Path(p, k), "unsupported report schema (this gcstress reads " +
                                     std::to_string(kReportFormat) + ")");
    }
    out = kReportFormat;
  }
};

// reproduced / runs: derived from the two, so checked to be a number and dropped on reading.
struct Rate : Leaf {
  static constexpr std::string_view kType = "number";
  static Json Encode(const Reproduction& rp) {
    return rp.runs == 0 ? 0.0 : static_cast<double>(rp.reproduced) / rp.runs;
  }
  static void Decode(const Reader& r, const Json& o, std::string_view k, const std::string& p,
                     Reproduction&) {
    double ignored = 0;
    Number::Decode(r, o, k, p, ignored);
  }
};

template <class Table>
Json EncodeFields(const typename Table::Struct& s) {
  Json j = Json::object();
  Table::ForEach([&](std::string_view key, auto get, auto codec, std::string_view) {
    j[std::string(key)] = decltype(codec)::Encode(get(s));
  });
  return j;
}

template <class Table>
void DecodeFields(const Reader& r, const Json& o, const std::string& p, typename Table::Struct& s) {
  Table::ForEach([&](std::string_view key, auto get, auto codec, std::string_view) {
    decltype(codec)::Decode(r, o, key, p, get(s));
  });
}

// One line per field, nested tables indented under their key.
template <class Table>
void DescribeFields(std::string& out, int indent) {
  Table::ForEach([&](std::string_view key, auto, auto codec, std::string_view doc) {
    using Codec = decltype(codec);
    std::string line =
        std::string(indent, ' ') + "\"" + std::string(key) + "\": " + std::string(Codec::kType);
    line.resize(std::max<size_t>(line.size() + 1, 34), ' ');
    out += line + std::string(doc) + "\n";
    Codec::Describe(out, indent + 2);
  });
}

template <class Table>
struct Object {
  static constexpr std::string_view kType = "{...}";
  static Json Encode(const typename Table::Struct& s) { return EncodeFields<Table>(s); }
  static void Decode(const Reader& r, const Json& o, std::string_view k, const std::string& p,
                     typename Table::Struct& out) {
    DecodeFields<Table>(r, r.At(o, k, p), Reader::Path(p, k), out);
  }
  static void Describe(std::string& out, int indent) { DescribeFields<Table>(out, indent); }
};

template <class Table>
struct ArrayOf {
  using Item = typename Table::Struct;
  static constexpr std::string_view kType = "[{...}]";
  static Json Encode(const std::vector<Item>& items) {
    Json j = Json::array();
    for (const Item& item : items)
      j.push_back(EncodeFields<Table>(item));
    return j;
  }
  static void Decode(const Reader& r, const Json& o, std::string_view k, const std::string& p,
                     std::vector<Item>& out) {
    out.clear();
    Each(r, o, k, p, [&](const Json& item, const std::string& q) {
      Item s;
      DecodeFields<Table>(r, item, q, s);
      out.push_back(std::move(s));
    });
  }
  static void Describe(std::string& out, int indent) { DescribeFields<Table>(out, indent); }
};

#define GCS_REPORT_TABLE(Name, StructType, doc)   \
  struct Name {                                   \
    using Struct = StructType;                    \
    static constexpr std::string_view kDoc = doc; \
    template <class Visit>                        \
    static void ForEach(Visit&& visit) {
#define GCS_REPORT_FIELD(key, expr, Codec, doc)                              \
  visit(                                                                     \
      std::string_view(key), [](auto& s) -> auto& { return expr; }, Codec{}, \
      std::string_view(doc));
#define GCS_REPORT_TABLE_END() \
  }                            \
  }                            \
  ;
#include "harness/reporters/report_fields.def"
#undef GCS_REPORT_TABLE
#undef GCS_REPORT_FIELD
#undef GCS_REPORT_TABLE_END

}  // namespace gcs::reporters::report_json
