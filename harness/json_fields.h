// gcstress harness — JsonField: the rows of an encode-only JSON format (the zoo's, triage's),
// declared once in the format's .def. A row names the struct it reads, its key, its encoding (an
// expression of `x`, a const reference to that struct) and its doc. EncodeFields builds the object
// of a struct's rows, keys in row order; a value that is itself a struct with rows in the table,
// or a vector of such, is encoded by its own rows.
#pragma once

#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

namespace gcs {

template <class T, class Encode>
struct JsonField {
  using Type = T;
  std::string_view key;
  Encode encode;
  std::string_view doc;
};

template <class T, class Encode>
JsonField<T, Encode> MakeJsonField(std::string_view key, Encode encode, std::string_view doc) {
  return {key, encode, doc};
}

// A table's row macro: GCS_..._FIELD(Struct, key, encoding, doc) -> GCS_JSON_FIELD(same).
#define GCS_JSON_FIELD(Struct, key, encoding, doc) \
  MakeJsonField<Struct>(                           \
      key, []([[maybe_unused]] const Struct& x) -> decltype(auto) { return (encoding); }, doc),

// Closes a table's tuple (each row ends in a comma).
struct JsonFieldsEnd {
  using Type = void;
};

template <class T, class Table>
nlohmann::ordered_json EncodeFields(const Table& table, const T& x);

template <class V>
inline constexpr bool kIsVector = false;
template <class V>
inline constexpr bool kIsVector<std::vector<V>> = true;

// A row's value: as JSON if it converts, else by the rows of its struct (or of its items').
template <class Table, class V>
nlohmann::ordered_json EncodeValue(const Table& table, const V& v) {
  if constexpr (std::is_constructible_v<nlohmann::ordered_json, const V&>) {
    return nlohmann::ordered_json(v);
  } else if constexpr (kIsVector<V>) {
    nlohmann::ordered_json j = nlohmann::ordered_json::array();
    for (const auto& item : v)
      j.push_back(EncodeFields(table, item));
    return j;
  } else {
    return EncodeFields(table, v);
  }
}

// The object of `table`'s rows for T, in order; rows of other structs are passed over.
template <class T, class Table>
nlohmann::ordered_json EncodeFields(const Table& table, const T& x) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  std::apply(
      [&](const auto&... row) {
        const auto put = [&](const auto& r) {
          if constexpr (std::is_same_v<typename std::decay_t<decltype(r)>::Type, T>) {
            j[std::string(r.key)] = EncodeValue(table, r.encode(x));
          }
        };
        (put(row), ...);
      },
      table);
  return j;
}

// For tests of a table: a row macro giving {"Struct", "key"}, and the keys of one struct's rows.
#define GCS_JSON_FIELD_KEY(Struct, key, encoding, doc) {#Struct, key},

struct JsonFieldKey {
  std::string_view type, key;
};

inline std::vector<std::string> KeysOf(const std::vector<JsonFieldKey>& rows,
                                       std::string_view type) {
  std::vector<std::string> keys;
  for (const JsonFieldKey& row : rows) {
    if (row.type == type) keys.emplace_back(row.key);
  }
  return keys;
}

// An object's keys, in order.
inline std::vector<std::string> JsonKeys(const nlohmann::ordered_json& j) {
  std::vector<std::string> keys;
  for (const auto& [k, v] : j.items())
    keys.push_back(k);
  return keys;
}

}  // namespace gcs
