// shoal-bench: one load generator for Shoal (Hazelcast client protocol) and Redis (RESP).
// See options.cc for the command line and runner.h for what closed and open loop measure.
#include <cstdio>
#include <fstream>
#include <iostream>

#include "driver.h"
#include "options.h"
#include "report.h"
#include "runner.h"

int main(int argc, char** argv) {
    using namespace shoal::bench;
    std::vector<std::string_view> args(argv + 1, argv + argc);
    const ParseResult parsed = parse_options(args);
    if (!parsed.options) {
        std::cerr << "shoal-bench: " << parsed.error << "\n" << usage();
        return 2;
    }
    const Options& o = *parsed.options;
    if (o.help) {
        std::cout << usage();
        return 0;
    }
    auto driver = o.driver == "resp" ? make_resp_driver(o) : make_hazelcast_driver(o);
    std::cout << table_header() << "\n";
    std::vector<RunResult> results;
    if (o.preload) {
        Options preload = o;
        if (!preload.label.empty()) preload.label += " preload";
        results.push_back(run_preload(*driver, preload));
        std::cout << table_row(results.back()) << std::endl;
    }
    if (o.run && (results.empty() || results.back().failure.empty())) {
        results.push_back(run_load(*driver, o));
        std::cout << table_row(results.back()) << std::endl;
    }
    int status = 0;
    for (const auto& r : results) {
        if (!r.failure.empty()) {
            std::cerr << "shoal-bench: " << r.mode << " failed: " << r.failure << "\n";
            status = 1;
        }
    }
    if (!o.json_path.empty()) {
        std::ofstream out(o.json_path, std::ios::app);
        for (const auto& r : results) out << to_json(r) << "\n";
        if (!out) {
            std::cerr << "shoal-bench: cannot write " << o.json_path << "\n";
            status = 1;
        }
    }
    return status;
}
