// gcstress cli — plain-text and Markdown tables.
#include "harness/cli/table.h"

#include <algorithm>

#include "core/check.h"

namespace gcs::cli {
namespace {

std::string MarkdownCell(const std::string& cell) {
  std::string out;
  for (char c : cell) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

std::string FormatTable(const TableRow& header, const std::vector<TableRow>& rows, bool markdown,
                        const std::string& indent) {
  for (const TableRow& row : rows)
    GCS_CHECK(row.size() == header.size());
  std::string out;
  if (markdown) {
    auto line = [&](const TableRow& row) {
      out += indent + "|";
      for (const std::string& cell : row)
        out += " " + MarkdownCell(cell) + " |";
      out += "\n";
    };
    line(header);
    out += indent + "|";
    for (size_t i = 0; i < header.size(); ++i)
      out += "---|";
    out += "\n";
    for (const TableRow& row : rows)
      line(row);
    return out;
  }
  std::vector<size_t> width(header.size(), 0);
  for (size_t i = 0; i < header.size(); ++i) {
    width[i] = header[i].size();
    for (const TableRow& row : rows)
      width[i] = std::max(width[i], row[i].size());
  }
  auto line = [&](const TableRow& row) {
    std::string text = indent;
    for (size_t i = 0; i < row.size(); ++i) {
      text += row[i];
      if (i + 1 < row.size()) text += std::string(width[i] - row[i].size() + 2, ' ');
    }
    while (!text.empty() && text.back() == ' ')
      text.pop_back();
    out += text + "\n";
  };
  line(header);
  for (const TableRow& row : rows)
    line(row);
  return out;
}

}  // namespace gcs::cli
