// gcstress cli — plain-text and Markdown tables for list and check output.
#pragma once

#include <string>
#include <vector>

namespace gcs::cli {

using TableRow = std::vector<std::string>;

// Text: columns left-aligned, two spaces apart, the header first, no trailing spaces, each line
// prefixed by `indent`. Markdown: a header row, a separator and one row per line; '|' in cells
// escaped. Every row has the header's number of cells.
std::string FormatTable(const TableRow& header, const std::vector<TableRow>& rows, bool markdown,
                        const std::string& indent = "");

}  // namespace gcs::cli
