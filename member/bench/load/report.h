// Report: a run's result as a table row (latencies in microseconds) and as one JSON object.
#pragma once

#include <string>

#include "runner.h"

namespace shoal::bench {

std::string table_header();
std::string table_row(const RunResult& result);
std::string to_json(const RunResult& result);

}  // namespace shoal::bench
